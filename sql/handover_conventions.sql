-- Hand-over pack, its conventions: those of the association of the local group $group_id (or of
-- the local groups of the DISP $disp) in force in $year or whose renewal falls due in the twelve
-- months after it (the year $year + 1). With a partner association (association_partnership with
-- a convention, the partnership current in $year: in force from its signature to its renewal
-- date) and with an institution or funder (institution_convention signed by the association:
-- in force from valid_from to valid_to; due unless already renewed; a national institution or one
-- of the group's DISP, as the conventions of another area are not the group's to hand over).
-- Parameters: $group_id (or NULL), $disp (or NULL), $year.
WITH groups AS (
    SELECT association_id, disp
    FROM local_group
    WHERE local_group_id = $group_id OR disp = $disp
),
chosen AS (
    SELECT DISTINCT association_id FROM groups
),
bounds AS (
    SELECT make_date($year::INTEGER, 1, 1) AS first_day,
           make_date($year::INTEGER, 12, 31) AS last_day,
           make_date($year::INTEGER + 1, 12, 31) AS due_by
),
between_associations AS (
    SELECT p.partnership_id AS convention_id,
           'partnership' AS convention_kind,
           CASE WHEN p.association_id IN (SELECT association_id FROM chosen)
                THEN a.name ELSE b.name END AS association,
           CASE WHEN p.association_id IN (SELECT association_id FROM chosen)
                THEN b.name ELSE a.name END AS counterpart,
           'association' AS counterpart_kind,
           p.purpose AS object,
           NULL::VARCHAR AS signatory_role,
           p.convention_signed_on AS signed_on,
           p.convention_signed_on AS valid_from,
           NULL::DATE AS valid_to,
           p.convention_renewal_on AS renewal_on,
           NULL::DOUBLE AS amount_eur,
           NULL::VARCHAR AS renewal_state,
           p.convention_signed_on <= d.last_day
               AND p.convention_renewal_on >= d.first_day AS in_force,
           p.convention_renewal_on > d.last_day AND p.convention_renewal_on <= d.due_by AS due,
           p.provenance
    FROM association_partnership AS p
    JOIN association AS a ON a.association_id = p.association_id
    JOIN association AS b ON b.association_id = p.partner_id
    CROSS JOIN bounds AS d
    WHERE p.has_convention
      AND (p.association_id IN (SELECT association_id FROM chosen)
           OR p.partner_id IN (SELECT association_id FROM chosen))
      AND p.since_year <= $year AND (p.ended_year IS NULL OR p.ended_year > $year)
),
with_institutions AS (
    SELECT c.convention_id, 'institution', a.name, i.name, i.kind, c.object, c.signatory_role,
           c.signed_on, c.valid_from, c.valid_to, c.renewal_on, c.amount_eur::DOUBLE,
           c.renewal_state,
           c.valid_from <= d.last_day AND c.valid_to >= d.first_day,
           c.renewal_on > d.last_day AND c.renewal_on <= d.due_by
               AND c.renewal_state <> 'renewed',
           c.provenance
    FROM institution_convention AS c
    JOIN institution AS i ON i.institution_id = c.institution_id
    JOIN association AS a ON a.association_id = c.association_id
    CROSS JOIN bounds AS d
    WHERE c.association_id IN (SELECT association_id FROM chosen)
      AND (i.disp IS NULL OR i.disp IN (SELECT disp FROM groups))
)
SELECT *
FROM (SELECT * FROM between_associations UNION ALL SELECT * FROM with_institutions)
WHERE in_force OR due
ORDER BY renewal_on, convention_id
