-- title: Marchés publiés, un par ligne
-- title_en: Published contracts, one per row
-- description: Les marchés publiés (DECP) dans les filtres, avec leur acheteur, objet, domaine, titulaire et sa nature, montant notifié, dates, établissements et fichier source.
-- description_en: The published contracts (DECP) in the filters, with their buyer, object, domain, holder and its kind, amount notified, dates, establishments and source file.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
WITH places AS (
    SELECT p.procurement_id, string_agg(e.name, ', ' ORDER BY e.name) AS establishments
    FROM procurement_establishment AS p
    JOIN establishment AS e USING (establishment_id)
    GROUP BY p.procurement_id
)
SELECT
    c.notified_on,
    c.buyer_name,
    c.object,
    coalesce(c.domain_id, 'multiservice') AS domain_id,
    coalesce(d.label_fr, 'Multiservice') AS domain_fr,
    coalesce(d.label_en, 'Multiservice') AS domain_en,
    o.name AS holder,
    c.kind_id,
    k.label_fr AS kind_fr,
    k.label_en AS kind_en,
    c.amount_notified_eur,
    c.end_on,
    pl.establishments,
    c.file_name,
    c.platform,
    c.provenance,
    c.source_id
FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                        $domains, $kinds) AS c
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k ON k.kind_id = c.kind_id
LEFT JOIN service_domain AS d ON d.domain_id = c.domain_id
LEFT JOIN places AS pl USING (procurement_id)
ORDER BY c.notified_on DESC, c.procurement_id
