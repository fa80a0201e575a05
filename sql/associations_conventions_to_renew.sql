-- title: Conventions à renouveler
-- title_en: Conventions to renew
-- description: Les conventions dont l'échéance de renouvellement tombe avant la date choisie plus N mois (celles déjà passées sont en retard) : entre deux associations, et entre une association ou un collectif et une institution ou un financeur (DAP, DISP, établissement, SPIP, ministère, collectivité, fondation), avec le signataire, le montant et l'état du renouvellement. Les conventions déjà renouvelées n'y figurent pas. Associations présentes sur la période dans les filtres DISP / région / type (pour un collectif, l'un de ses membres) ; avec un filtre DISP, les institutions d'une autre DISP sont écartées.
-- description_en: Conventions whose renewal date falls before the chosen date plus N months (those already past are overdue): between two associations, and between an association or a collective and an institution or funder (DAP, DISP, establishment, SPIP, ministry, local authority, foundation), with the signatory, amount and renewal state. Conventions already renewed are left out. Associations present in the period in the DISP / région / type filters (for a collective, one of its members); with a DISP filter, institutions of another DISP are left out.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param as_of: date = today | À partir du | From
-- param months: integer = 12 | Dans les N mois | Within N months
WITH present AS (
    SELECT association_id
    FROM associations_present($year_from, $year_to, $disps, $regions, $departements, $modes, $types)
),
between_associations AS (
    SELECT p.partnership_id AS convention_id,
           'partnership' AS convention_kind,
           a.name AS holder,
           'association' AS holder_kind,
           b.name AS partner,
           'association' AS partner_kind,
           p.purpose,
           NULL::VARCHAR AS object,
           NULL::VARCHAR AS signatory_role,
           p.convention_signed_on AS signed_on,
           p.convention_renewal_on AS renewal_on,
           NULL::DOUBLE AS amount_eur,
           NULL::VARCHAR AS renewal_state
    FROM association_partnership AS p
    JOIN association AS a ON a.association_id = p.association_id
    JOIN association AS b ON b.association_id = p.partner_id
    WHERE p.has_convention
      AND (p.association_id IN (SELECT association_id FROM present)
           OR p.partner_id IN (SELECT association_id FROM present))
),
with_institutions AS (
    SELECT c.convention_id,
           'institution' AS convention_kind,
           coalesce(a.name, k.name) AS holder,
           CASE WHEN c.association_id IS NULL THEN 'collective' ELSE 'association' END,
           i.name,
           i.kind,
           NULL::VARCHAR,
           c.object,
           c.signatory_role,
           c.signed_on,
           c.renewal_on,
           c.amount_eur::DOUBLE,
           c.renewal_state
    FROM institution_convention AS c
    JOIN institution AS i ON i.institution_id = c.institution_id
    LEFT JOIN association AS a ON a.association_id = c.association_id
    LEFT JOIN association_collective AS k ON k.collective_id = c.collective_id
    WHERE c.renewal_state <> 'renewed'
      AND (c.association_id IN (SELECT association_id FROM present)
           OR c.collective_id IN (SELECT m.collective_id
                                  FROM collective_member AS m
                                  WHERE m.association_id IN (SELECT association_id FROM present)))
      AND (len($disps) = 0 OR i.disp IS NULL OR list_contains($disps::VARCHAR[], i.disp))
)
SELECT *, renewal_on < $as_of::DATE AS overdue
FROM (SELECT * FROM between_associations UNION ALL SELECT * FROM with_institutions)
WHERE renewal_on < $as_of::DATE + to_months($months::INTEGER)
ORDER BY renewal_on, convention_id
