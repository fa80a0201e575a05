-- How connected the network is, in the period and the DISP / région / type filters: associations
-- present, those with no partner among them, partnerships, those framed by a signed convention,
-- and collectives with at least one member present.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
),
edges AS (
    SELECT association_id, partner_id, has_convention
    FROM partnerships_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
)
SELECT
    (SELECT count(*) FROM present) AS associations,
    (SELECT count(*) FROM present WHERE association_id NOT IN
        (SELECT association_id FROM edges UNION SELECT partner_id FROM edges)) AS without_partner,
    (SELECT count(*) FROM edges) AS partnerships,
    (SELECT count(*) FILTER (has_convention) FROM edges) AS with_convention,
    (SELECT count(DISTINCT m.collective_id) FROM collective_member AS m
     JOIN present USING (association_id)) AS collectives
