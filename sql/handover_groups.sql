-- Hand-over pack, the groups it is for: the local group $group_id, or every local group of the
-- DISP $disp, with its association, area, the role to contact and the group's own organisational
-- contacts (shared mailbox, switchboard, address: never a person).
-- Parameters: $group_id (or NULL), $disp (or NULL).
WITH chosen AS (
    SELECT * FROM local_group WHERE local_group_id = $group_id OR disp = $disp
),
associations AS (
    SELECT association_id, name FROM association
)
SELECT c.local_group_id, c.name, a.name AS association, c.disp, c.contact_role, c.email,
       c.phone, c.address, c.postal_code, c.city, c.founded_year, c.provenance
FROM chosen AS c
JOIN associations AS a USING (association_id)
ORDER BY c.name, c.local_group_id
