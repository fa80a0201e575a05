-- Rules: a grouping has exactly one lead and at least two members; members are not groupings;
-- only groupings have members.
WITH counts AS (
    SELECT grouping_id, count(*) AS members, count(*) FILTER (role = 'lead') AS leads,
           min(_row) AS first_row
    FROM stage.grouping_member
    GROUP BY ALL
)
SELECT 'grouping_member' AS table_name, c.first_row AS row_number, 'role' AS column_name,
       c.grouping_id AS value,
       'grouping_members.leads_and_members' AS problem,
       MAP {'grouping': c.grouping_id, 'leads': c.leads::VARCHAR,
            'members': c.members::VARCHAR} AS params
FROM counts AS c
WHERE c.leads <> 1 OR c.members < 2
UNION ALL
SELECT 'operator', o._row, 'is_grouping', o.operator_id,
       'grouping_members.no_members', MAP {'grouping': o.operator_id}
FROM stage.operator AS o
LEFT JOIN counts AS c ON c.grouping_id = o.operator_id
WHERE o.is_grouping AND c.grouping_id IS NULL
UNION ALL
SELECT 'grouping_member', m._row, 'grouping_id', m.grouping_id,
       'grouping_members.not_a_grouping', MAP {'operator': m.grouping_id}
FROM stage.grouping_member AS m
JOIN stage.operator AS o ON o.operator_id = m.grouping_id
WHERE NOT o.is_grouping
UNION ALL
SELECT 'grouping_member', m._row, 'member_id', m.member_id,
       'grouping_members.member_is_grouping', MAP {'member': m.member_id}
FROM stage.grouping_member AS m
JOIN stage.operator AS o ON o.operator_id = m.member_id
WHERE o.is_grouping
