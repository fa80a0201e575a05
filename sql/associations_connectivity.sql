-- How connected the network is, in the period and the DISP / région / type filters: associations
-- present, those with no partner among them, partnerships, those framed by a signed convention,
-- and collectives with at least one member present.
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
    SELECT p.association_id, p.partner_id, p.has_convention
    FROM association_partnership AS p
    JOIN present AS x ON x.association_id = p.association_id
    JOIN present AS y ON y.association_id = p.partner_id
    WHERE p.since_year <= $year_to
)
SELECT
    (SELECT count(*) FROM present) AS associations,
    (SELECT count(*) FROM present WHERE association_id NOT IN
        (SELECT association_id FROM edges UNION SELECT partner_id FROM edges)) AS without_partner,
    (SELECT count(*) FROM edges) AS partnerships,
    (SELECT count(*) FILTER (has_convention) FROM edges) AS with_convention,
    (SELECT count(DISTINCT m.collective_id) FROM collective_member AS m
     JOIN present USING (association_id)) AS collectives
