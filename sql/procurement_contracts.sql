-- title: Marchés publiés, un par ligne
-- title_en: Published contracts, one per row
-- description: Les marchés publiés (DECP) dans les filtres, avec leur acheteur, objet, domaine, titulaire et sa nature, montant notifié, dates, établissements et fichier source.
-- description_en: The published contracts (DECP) in the filters, with their buyer, object, domain, holder and its kind, amount notified, dates, establishments and source file.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
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
    o.name AS holder,
    c.kind_id,
    c.amount_notified_eur,
    c.end_on,
    pl.establishments,
    c.file_name,
    c.platform,
    c.provenance,
    c.source_id
FROM procurement_scoped($year_from, $year_to, $disps, $regions, $types, $domains, $kinds) AS c
JOIN operator AS o USING (operator_id)
LEFT JOIN places AS pl USING (procurement_id)
ORDER BY c.notified_on DESC, c.procurement_id
