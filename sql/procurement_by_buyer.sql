-- title: Marchés publiés par acheteur
-- title_en: Published contracts by buyer
-- description: Pour chaque acheteur de l'administration pénitentiaire, le nombre de marchés publiés (DECP) et leur montant notifié, et la part de l'ESS dans le montant dont le titulaire est classé par le répertoire SIRENE.
-- description_en: For each buyer of the prison administration, the number of published contracts (DECP), their amount notified, and the social economy's share of the amount whose holder the SIRENE register classifies.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param departements: text[] | Départements (vide = tous) | Départements (empty = all)
-- param modes: text[] | Modes de gestion (vide = tous) | Management modes (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
-- A buyer is its SIRET, or its name when the record gives no SIRET. The ESS share is of the amount
-- whose holder the register classifies, as on the page's headline figure.
SELECT
    any_value(c.buyer_siret) AS buyer_siret,
    any_value(c.buyer_name ORDER BY c.notified_on DESC) AS buyer_name,
    count(*) AS contracts,
    sum(c.amount_notified_eur) AS amount_notified_eur,
    coalesce(sum(c.amount_notified_eur) FILTER (k.is_ess), 0)
        / nullif(sum(c.amount_notified_eur) FILTER (k.kind_group <> 'unknown'), 0)
        AS ess_share_of_classified
FROM procurement_scoped($year_from, $year_to, $disps, $regions, $departements, $modes, $types,
                        $domains, $kinds) AS c
JOIN operator_kind AS k USING (kind_id)
GROUP BY coalesce(c.buyer_siret, c.buyer_name)
ORDER BY amount_notified_eur DESC, buyer_name
