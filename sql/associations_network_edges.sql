-- Partnership graph, edges: partnerships started by the end of the period between two associations
-- present in the period in an establishment of the DISP / région / type filters.
-- Parameters: $year_from, $year_to, $disps, $regions, $types.
WITH present AS (
    SELECT DISTINCT i.association_id
    FROM association_intervention AS i
    JOIN establishment AS e USING (establishment_id)
    WHERE i.year BETWEEN $year_from AND $year_to
      AND in_scope(e.disp, coalesce(e.region_code, e.departement_code), e.type_code, NULL, NULL,
                   $disps, $regions, $types, []::VARCHAR[], []::VARCHAR[])
)
SELECT p.partnership_id, p.association_id, p.partner_id, p.since_year, p.purpose,
       p.has_convention, p.convention_renewal_on
FROM association_partnership AS p
JOIN present AS x ON x.association_id = p.association_id
JOIN present AS y ON y.association_id = p.partner_id
WHERE p.since_year <= $year_to
ORDER BY p.partnership_id
