-- Partnership graph, nodes: the associations present in the period (an intervention in an
-- establishment of the DISP / région / type filters), with their field and number of partners
-- among them (partnerships started by the end of the period).
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
),
edges AS (
    SELECT association_id, partner_id
    FROM partnerships_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
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
