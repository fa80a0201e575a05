-- title: Marchés publiés par année et type de titulaire
-- title_en: Published contracts by year and holder kind
-- description: Montant notifié des marchés publiés (DECP) par année de notification et type de titulaire (d'après SIRENE ; « nature non connue » tant que le répertoire ne l'a pas classé).
-- description_en: Amount notified of the published contracts (DECP) by year of notification and holder kind (from SIRENE; "kind not known" until the register classifies it).
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
WITH by_kind AS (
    SELECT year, kind_id, count(*) AS contracts, sum(amount_notified_eur) AS amount_notified_eur
    FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                            $domains, $kinds)
    GROUP BY year, kind_id
)
SELECT
    b.year,
    b.kind_id,
    k.label_fr,
    k.label_en,
    k.kind_group,
    k.color,
    k.sort_order,
    b.contracts,
    b.amount_notified_eur
FROM by_kind AS b
JOIN operator_kind AS k USING (kind_id)
ORDER BY b.year, k.sort_order
