-- title: Valeur des marchés par année et type d'opérateur
-- title_en: Market value by year and operator kind
-- description: Chiffre d'affaires des titulaires de marchés par année et type d'opérateur, et la part de chaque type dans l'année (le graphique de la vue d'ensemble).
-- description_en: Revenue of market holders per year and operator kind, and each kind's share of the year (the Overview chart).
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
-- Market value (contract revenue) per year and operator kind, for the filtered scope.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH by_kind AS (
    SELECT year, kind_id, sum(revenue_eur)::DOUBLE AS market_value_eur
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
    GROUP BY year, kind_id
)
SELECT
    b.year,
    b.kind_id,
    k.label_fr,
    k.label_en,
    k.is_ess,
    k.color,
    k.sort_order,
    b.market_value_eur,
    b.market_value_eur / sum(b.market_value_eur) OVER (PARTITION BY b.year) AS share_of_year
FROM by_kind AS b
JOIN operator_kind AS k USING (kind_id)
ORDER BY b.year, k.sort_order
