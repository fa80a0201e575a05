-- The operators beside the associations in the partnership graph: the partnerships between an
-- association and an operator that last into the period, where the association is present in
-- the period (an intervention in an establishment of the place filters), the operator holds a
-- market in such an establishment in the period, and, for a partnership local to one
-- establishment, that establishment is in the place filters.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
),
places AS (
    SELECT establishment_id
    FROM establishment_in_scope($disps, $regions, $departements, $modes, $types)
),
holding AS (
    SELECT DISTINCT operator_id
    FROM market_revenue
    WHERE year BETWEEN $year_from AND $year_to
      AND establishment_id IN (SELECT establishment_id FROM places)
)
SELECT p.partnership_id, p.association_id, a.name AS association_name, p.operator_id,
       o.name AS operator_name, o.kind_id, k.kind_group, k.label_fr AS kind_fr, k.label_en AS kind_en, k.color,
       k.sort_order, p.since_year, p.purpose, p.establishment_id, e.name AS establishment_name
FROM operator_partnership AS p
JOIN association AS a USING (association_id)
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
LEFT JOIN establishment AS e USING (establishment_id)
WHERE p.since_year <= $year_to
  AND (p.ended_year IS NULL OR p.ended_year >= $year_from)
  AND p.association_id IN (SELECT association_id FROM present)
  AND p.operator_id IN (SELECT operator_id FROM holding)
  AND (p.establishment_id IS NULL OR p.establishment_id IN (SELECT establishment_id FROM places))
ORDER BY p.partnership_id
