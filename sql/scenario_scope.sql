-- title: Scénario : marchés déplacés vers l'ESS
-- title_en: Scenario: markets moved to the ESS
-- description: Pour une année de référence, la valeur annuelle des marchés tenus par des opérateurs lucratifs dans le périmètre choisi, ce que leurs titulaires reversent déjà à la réinsertion et aux familles, la part cantine de cette valeur (ventes aux personnes détenues), et la population concernée : personnes détenues en moyenne sur l'année dans les établissements du périmètre, personnes déjà accompagnées à la sortie, familles déjà soutenues et certifications déjà obtenues (tous titulaires, tous domaines).
-- description_en: For a reference year, the yearly value of the markets held by for-profit operators in the chosen scope, what their holders already return to reinsertion and families, the canteen share of that value (sales to the people detained), and the population concerned: people detained on average over the year in the scope's establishments, people already accompanied at release, families already supported and certificates already obtained (every holder, every domain).
-- param year: integer | Année de référence | Reference year
-- param establishments: text[] | Établissements (vide = tous) | Establishments (empty = all)
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- Markets moved = market_revenue rows whose holder's kind is in the for-profit group. The
-- population concerned (what the scenario's outcomes are bounded by) is that of the scope's
-- establishments, whatever the domains: the domains choose the markets, not the people.
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
    FROM scoped('market_revenue', $year, $year, $disps, $regions, [], [], [], $domains,
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
    FROM scoped('reallocation_by_market', $year, $year, $disps, $regions, [], [], [], $domains,
                (SELECT kinds FROM moved_kinds)) AS r
    WHERE len($establishments) = 0
       OR list_contains($establishments::VARCHAR[], r.establishment_id)
),
population AS (
    -- the monthly headcount of the scope's establishments, averaged over the year's months
    SELECT coalesce(avg(detainees), 0)::DOUBLE AS people_detained, count(*) AS population_months
    FROM (
        SELECT p.month, sum(p.detainees) AS detainees
        FROM establishment_population AS p
        WHERE year(p.month) = $year
          AND in_scope(p.disp, p.region_code, p.departement_code, p.management_mode, p.type_code,
                       NULL, NULL,
                       $disps, $regions, [], [], [], [], [])
          AND (len($establishments) = 0
               OR list_contains($establishments::VARCHAR[], p.establishment_id))
        GROUP BY p.month
    )
),
reached AS (
    SELECT
        coalesce(sum(o.value) FILTER (WHERE o.indicator_id = 'people_accompanied_release'), 0)
            ::DOUBLE AS accompanied_now,
        coalesce(sum(o.value) FILTER (WHERE o.indicator_id = 'families_supported'), 0)::DOUBLE
            AS families_now,
        coalesce(sum(o.value) FILTER (WHERE o.indicator_id = 'certificates'), 0)::DOUBLE
            AS certificates_now
    FROM scoped('outcome_fact', $year, $year, $disps, $regions, [], [], [], [], []) AS o
    WHERE len($establishments) = 0
       OR list_contains($establishments::VARCHAR[], o.establishment_id)
)
SELECT * FROM value, returned, population, reached
