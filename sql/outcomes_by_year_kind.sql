-- Outcomes: each indicator per year and operator kind, for the filtered scope (outcome_fact).
-- Headcounts (is_headcount) are counts of people in a year: never add them across years.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH by_kind AS (
    SELECT year, indicator_id, kind_id, sum(value)::DOUBLE AS value
    FROM scoped('outcome_fact',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    GROUP BY ALL
)
SELECT
    b.year,
    b.indicator_id,
    i.label_fr AS indicator_fr,
    i.label_en AS indicator_en,
    i.unit,
    i.is_headcount,
    i.sort_order AS indicator_order,
    b.kind_id,
    k.label_fr,
    k.label_en,
    k.color,
    k.is_ess,
    k.sort_order,
    b.value
FROM by_kind AS b
JOIN indicator AS i USING (indicator_id)
JOIN operator_kind AS k USING (kind_id)
ORDER BY i.sort_order, b.year, k.sort_order
