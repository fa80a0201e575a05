-- title: Scénario : marchés déplacés vers l'ESS
-- title_en: Scenario: markets moved to the ESS
-- description: Pour une année de référence, la valeur annuelle des marchés tenus par des opérateurs lucratifs dans le périmètre choisi, ce que leurs titulaires reversent déjà à la réinsertion et aux familles, et la part cantine de cette valeur (ventes aux personnes détenues).
-- description_en: For a reference year, the yearly value of the markets held by for-profit operators in the chosen scope, what their holders already return to reinsertion and families, and the canteen share of that value (sales to detainees).
-- param year: integer | Année de référence | Reference year
-- param establishments: text[] | Établissements (vide = tous) | Establishments (empty = all)
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- Markets moved = market_revenue rows whose holder's kind is in the for-profit group.
WITH moved_kinds AS (
    SELECT list(kind_id) AS kinds FROM operator_kind WHERE kind_group = 'for_profit'
),
value AS (
    SELECT
        coalesce(sum(m.revenue_eur), 0)::DOUBLE AS market_value_eur,
        coalesce(sum(m.revenue_eur) FILTER (WHERE m.domain_id = 'canteen'), 0)::DOUBLE
            AS canteen_sales_eur,
        count(DISTINCT m.contract_id) AS contracts,
        count(DISTINCT m.establishment_id) AS establishments
    FROM scoped('market_revenue', $year, $year, $disps, $regions, [], $domains,
                (SELECT kinds FROM moved_kinds)) AS m
    WHERE len($establishments) = 0
       OR list_contains($establishments::VARCHAR[], m.establishment_id)
),
returned AS (
    SELECT
        coalesce(sum(r.amount_eur) FILTER (WHERE r.category_id = 'reinsertion'), 0)::DOUBLE
            AS current_reinsertion_eur,
        coalesce(sum(r.amount_eur) FILTER (WHERE r.category_id = 'family'), 0)::DOUBLE
            AS current_family_eur
    FROM scoped('reallocation_by_market', $year, $year, $disps, $regions, [], $domains,
                (SELECT kinds FROM moved_kinds)) AS r
    WHERE len($establishments) = 0
       OR list_contains($establishments::VARCHAR[], r.establishment_id)
)
SELECT * FROM value, returned
