-- Markets: operators ranked by market value over the years in scope, with their kind, the number of
-- contracts, establishments and domains, their share of the market value in scope, and the parts
-- of their value that are illustrative and modeled.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH value AS (
    SELECT
        operator_id,
        sum(revenue_eur)::DOUBLE AS market_value_eur,
        count(DISTINCT contract_id) AS contracts,
        count(DISTINCT establishment_id) AS establishments,
        count(DISTINCT domain_id) AS domains,
        share_of(revenue_eur, provenance = 'illustrative') AS illustrative_share,
        share_of(revenue_eur, provenance = 'modeled') AS modeled_share
    FROM market_value_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                             $domains, $kinds)
    GROUP BY operator_id
)
SELECT
    o.operator_id,
    o.name,
    k.label_fr AS kind_fr,
    k.label_en AS kind_en,
    o.is_grouping,
    v.market_value_eur,
    v.market_value_eur / sum(v.market_value_eur) OVER () AS share,
    v.contracts,
    v.establishments,
    v.domains,
    v.illustrative_share,
    v.modeled_share
FROM value AS v
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
ORDER BY v.market_value_eur DESC, o.name
