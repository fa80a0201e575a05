-- title: Réaffectation du résultat par destination
-- title_en: Result reallocated by destination
-- description: Où va le résultat des opérateurs, par année, catégorie et destination (réinsertion, familles, service, réserves, salariés ou associés, dividendes), attribué aux marchés au prorata de leur chiffre d'affaires pour suivre les filtres.
-- description_en: Where operators' result goes, per year, category and destination (reinsertion, families, service, reserves, employees or members, dividends), attributed to markets pro rata of their revenue so that it follows the filters.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
SELECT
    r.year,
    r.category_id,
    dc.label_fr AS category_fr,
    dc.label_en AS category_en,
    r.destination_id,
    d.label_fr AS destination_fr,
    d.label_en AS destination_en,
    r.is_returned,
    sum(r.amount_eur) AS amount_eur
FROM scoped('reallocation_by_market',
            $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS r
JOIN destination AS d USING (destination_id)
JOIN destination_category AS dc ON dc.category_id = r.category_id
GROUP BY ALL
ORDER BY r.year, min(dc.sort_order), min(d.sort_order)
