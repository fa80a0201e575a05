-- title: Chiffres clés de la vue d'ensemble
-- title_en: Overview headline figures
-- description: Les quatre chiffres de la vue d'ensemble (valeur des marchés, part de l'ESS, montant réaffecté à la réinsertion et aux familles, personnes détenues employées la dernière année), avec le nombre d'établissements et d'opérateurs concernés.
-- description_en: The Overview's four figures (market value, ESS share, amount returned to reinsertion and families, detainees employed in the last year), with the number of establishments and operators involved.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
-- Overview: the four headline figures for the filtered scope.
-- market_value_eur: contract revenue over the years in scope (market_revenue).
-- ess_value_eur: the part earned by operators of an ESS kind.
-- returned_eur: reallocated result going to reinsertion and family support
--   (reallocation_by_market).
-- detainees_employed: outcome detainees_employed in the last year in scope (a headcount: not summed
-- across years).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH market AS (
    SELECT
        sum(revenue_eur)::DOUBLE AS market_value_eur,
        coalesce(sum(revenue_eur) FILTER (is_ess), 0)::DOUBLE AS ess_value_eur,
        count(DISTINCT establishment_id) AS establishments,
        count(DISTINCT operator_id) AS operators
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
),
returned AS (
    SELECT coalesce(sum(amount_eur) FILTER (is_returned), 0) AS returned_eur
    FROM scoped('reallocation_by_market',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
),
employed AS (
    SELECT coalesce(sum(value), 0) AS detainees_employed
    FROM outcome_fact
    WHERE indicator_id = 'detainees_employed'
      AND year = (SELECT max(year) FROM outcome_fact WHERE year <= $year_to)
      AND in_scope(disp, region_code, departement_code, management_mode, type_code, domain_id,
                   kind_id,
                   $disps, $regions, $departements, $modes, $types, $domains, $kinds)
)
SELECT
    market.market_value_eur,
    market.ess_value_eur,
    market.ess_value_eur / nullif(market.market_value_eur, 0) AS ess_share,
    returned.returned_eur,
    employed.detainees_employed,
    (SELECT max(year) FROM outcome_fact WHERE year <= $year_to) AS employed_year,
    market.establishments,
    market.operators
FROM market, returned, employed
