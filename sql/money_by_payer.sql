-- title: L'argent des services selon qui paie
-- title_en: The money of the services by who pays
-- description: Ce que rapportent les contrats selon qui paie : l'administration pénitentiaire (la valeur des marchés), les personnes détenues (cantine), les clients des concessionnaires (travail), les autres financeurs publics, et le coût de la gestion publique (régie), par type d'opérateur. Jamais additionnés en un seul chiffre.
-- description_en: What the contracts bring in by who pays: the prison administration (the market value), detained people (canteen), concession clients (work), other public funders, and the cost of public management (régie), per operator kind. Never added into one figure.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
-- The money of the contracts in scope per kind of money (payer_group) and operator kind, over the
-- years in scope, with the parts that are illustrative and modeled. The administration's row is
-- the market value (market_value_scoped gives the same sum); the others stand beside it.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH money AS (
    SELECT
        payer_group_id,
        kind_id,
        sum(revenue_eur)::DOUBLE AS amount_eur,
        share_of(revenue_eur, provenance = 'illustrative') AS illustrative_share,
        share_of(revenue_eur, provenance = 'modeled') AS modeled_share,
        count(DISTINCT contract_id) AS contracts
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds)
    GROUP BY ALL
)
SELECT
    m.payer_group_id,
    g.label_fr AS payer_fr,
    g.label_en AS payer_en,
    g.description_fr,
    g.description_en,
    g.sort_order AS payer_order,
    m.kind_id,
    k.label_fr AS kind_fr,
    k.label_en AS kind_en,
    k.color,
    k.sort_order AS kind_order,
    m.amount_eur,
    m.illustrative_share,
    m.modeled_share,
    m.contracts
FROM money AS m
JOIN payer_group AS g USING (payer_group_id)
JOIN operator_kind AS k USING (kind_id)
WHERE m.amount_eur > 0
ORDER BY g.sort_order, k.sort_order
