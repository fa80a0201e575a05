-- Partnership graph, nodes: the associations present in the period (an intervention in an
-- establishment of the DISP / région / type filters), with their field and number of partners
-- among them (partnerships started by the end of the period).
-- Parameters: $year_from, $year_to, $disps, $regions, $types.
WITH present AS (
    SELECT DISTINCT i.association_id
    FROM association_intervention AS i
    JOIN establishment AS e USING (establishment_id)
    WHERE i.year BETWEEN $year_from AND $year_to
      AND in_scope(e.disp, coalesce(e.region_code, e.departement_code), e.type_code, NULL, NULL,
                   $disps, $regions, $types, []::VARCHAR[], []::VARCHAR[])
),
edges AS (
    SELECT p.association_id, p.partner_id
    FROM association_partnership AS p
    JOIN present AS x ON x.association_id = p.association_id
    JOIN present AS y ON y.association_id = p.partner_id
    WHERE p.since_year <= $year_to
),
ends AS (
    SELECT association_id AS id FROM edges
    UNION ALL
    SELECT partner_id FROM edges
)
SELECT a.association_id, a.name, a.field_id, a.scope,
       (SELECT count(*) FROM ends WHERE ends.id = a.association_id) AS partners
FROM association AS a
JOIN present USING (association_id)
ORDER BY a.association_id
