-- title: Marchés publiés : synthèse
-- title_en: Published contracts: summary
-- description: Les marchés de l'administration pénitentiaire publiés en données ouvertes (DECP) dans les filtres : nombre, montant notifié, part dont le titulaire est classé par le répertoire SIRENE, part de l'ESS, marchés non localisés.
-- description_en: The prison administration's contracts published as open data (DECP) in the filters: count, amount notified, share whose holder the SIRENE register classifies, ESS share, contracts not located.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
-- Amounts are those notified (a maximum or an estimate), never revenue.
WITH contracts AS (
    SELECT c.procurement_id, c.amount_notified_eur, c.year, k.kind_group, k.is_ess
    FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                            $domains, $kinds) AS c
    JOIN operator_kind AS k USING (kind_id)
),
located AS (
    SELECT DISTINCT procurement_id FROM procurement_establishment
)
SELECT
    count(*) AS contracts,
    sum(c.amount_notified_eur) AS amount_notified_eur,
    share_of(c.amount_notified_eur, c.kind_group <> 'unknown') AS classified_share,
    coalesce(sum(c.amount_notified_eur) FILTER (c.is_ess), 0)
        / nullif(sum(c.amount_notified_eur) FILTER (c.kind_group <> 'unknown'), 0)
        AS ess_share_of_classified,
    count(*) FILTER (c.procurement_id NOT IN (SELECT procurement_id FROM located)) AS not_located
FROM contracts AS c
