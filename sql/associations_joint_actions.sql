-- Joint actions in the years of the period held in at least one establishment of the DISP / région
-- / type filters, with their partners and the establishments where they take place.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types.
WITH places AS (
    SELECT j.action_id, e.name
    FROM joint_action_establishment AS j
    JOIN establishment_in_scope($disps, $regions, $departements, $modes,
                                $types) AS e USING (establishment_id)
)
SELECT
    j.action_id,
    j.action_date,
    j.theme,
    j.title,
    (SELECT string_agg(a.name, ', ' ORDER BY a.name) FROM joint_action_partner AS p
     JOIN association AS a USING (association_id) WHERE p.action_id = j.action_id) AS partners,
    (SELECT count(*) FROM joint_action_partner AS p WHERE p.action_id = j.action_id)
        AS partner_count,
    (SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM places AS s
     WHERE s.action_id = j.action_id) AS establishments
FROM joint_action AS j
WHERE year(j.action_date) BETWEEN $year_from AND $year_to
  AND j.action_id IN (SELECT action_id FROM places)
ORDER BY j.action_date, j.action_id
