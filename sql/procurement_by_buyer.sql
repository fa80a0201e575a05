-- title: Marchés publiés par acheteur
-- title_en: Published contracts by buyer
-- description: Pour chaque acheteur de l'administration pénitentiaire, le nombre de marchés publiés (DECP) et leur montant notifié, et la part notifiée à des titulaires de l'ESS.
-- description_en: For each buyer of the prison administration, the number of published contracts (DECP), their amount notified, and the share notified to holders of the social economy.
-- param year_from: integer | Première année | First year
-- param year_to: integer | Dernière année | Last year
-- param disps: text[] | Directions interrégionales (vide = toutes) | Interregional directorates (empty = all)
-- param regions: text[] | Régions (vide = toutes) | Regions (empty = all)
-- param types: text[] | Types d'établissement (vide = tous) | Establishment types (empty = all)
-- param domains: text[] | Domaines de service (vide = tous) | Service domains (empty = all)
-- param kinds: text[] | Types d'opérateur (vide = tous) | Operator kinds (empty = all)
SELECT
    c.buyer_siret,
    any_value(c.buyer_name ORDER BY c.notified_on DESC) AS buyer_name,
    count(*) AS contracts,
    sum(c.amount_notified_eur) AS amount_notified_eur,
    coalesce(sum(c.amount_notified_eur) FILTER (k.is_ess), 0) / sum(c.amount_notified_eur)
        AS ess_share
FROM procurement_scoped($year_from, $year_to, $disps, $regions, $types, $domains, $kinds) AS c
JOIN operator_kind AS k USING (kind_id)
GROUP BY c.buyer_siret
ORDER BY amount_notified_eur DESC, c.buyer_siret
