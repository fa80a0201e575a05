-- Rules: a grouping has exactly one lead and at least two members; members are not groupings;
-- only groupings have members.
-- Fix: list each grouping's members in grouping_member: one lead, at least two members,
-- none of them a grouping.
WITH counts AS (
    SELECT grouping_id, count(*) AS members, count(*) FILTER (role = 'lead') AS leads,
           min(_row) AS first_row
    FROM stage.grouping_member
    GROUP BY ALL
)
SELECT 'grouping_member' AS table_name, c.first_row AS row_number, 'role' AS column_name,
       c.grouping_id AS value,
       'grouping ' || c.grouping_id || ' has ' || c.leads || ' lead(s) and ' || c.members
           || ' member(s); it needs exactly one lead and at least two members' AS problem
FROM counts AS c
WHERE c.leads <> 1 OR c.members < 2
UNION ALL
SELECT 'operator', o._row, 'is_grouping', o.operator_id,
       'grouping ' || o.operator_id || ' has no members in grouping_member'
FROM stage.operator AS o
LEFT JOIN counts AS c ON c.grouping_id = o.operator_id
WHERE o.is_grouping AND c.grouping_id IS NULL
UNION ALL
SELECT 'grouping_member', m._row, 'grouping_id', m.grouping_id,
       'operator ' || m.grouping_id || ' is not a grouping (is_grouping is false)'
FROM stage.grouping_member AS m
JOIN stage.operator AS o ON o.operator_id = m.grouping_id
WHERE NOT o.is_grouping
UNION ALL
SELECT 'grouping_member', m._row, 'member_id', m.member_id,
       'member ' || m.member_id || ' is itself a grouping'
FROM stage.grouping_member AS m
JOIN stage.operator AS o ON o.operator_id = m.member_id
WHERE o.is_grouping
