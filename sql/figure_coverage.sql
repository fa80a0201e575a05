-- The coverage of the figures that need data not every operator has: of the holders' revenue in
-- the filters (every payer, so wider than the market value, which counts the part the prison
-- administration pays; not régie, a cost with no result to cover), the share earned by
-- holders that have accounts (operator_result), a split of their result (reallocation) and
-- outcomes that year, per kind group and in all (kind_group 'all').
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains,
--   $kinds.
WITH market AS (
    SELECT k.kind_group, m.revenue_eur::DOUBLE AS revenue_eur, m.has_accounts, m.has_split,
           m.has_outcomes
    FROM scoped('market_revenue',
                $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $domains, $kinds) AS m
    JOIN operator_kind AS k USING (kind_id)
    WHERE m.payer_group_id <> 'regie'
)
SELECT
    coalesce(kind_group, 'all') AS kind_group,
    sum(revenue_eur) AS revenue_eur,
    share_of(revenue_eur, has_accounts) AS accounts_share,
    share_of(revenue_eur, has_split) AS split_share,
    share_of(revenue_eur, has_outcomes) AS outcomes_share
FROM market
GROUP BY GROUPING SETS ((kind_group), ())
ORDER BY kind_group
