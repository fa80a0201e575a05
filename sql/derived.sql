-- Build-time analytical tables, computed once from the loaded entity tables (maillon.build).
-- They carry the establishment's DISP, région, département, management mode and type, and the
-- operator's kind, so that every
-- query filters without joins; they are sorted by their time column so DuckDB can skip row groups.
--
-- And the rules the named queries share, written once as macros (stored in each database version,
-- like the tables): the scope test, the région a filter means, each table's rows in the filters,
-- the associations present in a period. A query calls them with its $parameters.

-- One scope test for every query: an empty list means "no filter on this dimension".
CREATE MACRO in_scope(disp, region_code, departement_code, management_mode, type_code, domain_id,
                      kind_id, disps, regions, departements, modes, types, domains, kinds) AS
    (len(disps) = 0 OR list_contains(disps::VARCHAR[], disp))
    AND (len(regions) = 0 OR list_contains(regions::VARCHAR[], region_code))
    AND (len(departements) = 0 OR list_contains(departements::VARCHAR[], departement_code))
    AND (len(modes) = 0 OR list_contains(modes::VARCHAR[], management_mode))
    AND (len(types) = 0 OR list_contains(types::VARCHAR[], type_code))
    AND (len(domains) = 0 OR list_contains(domains::VARCHAR[], domain_id))
    AND (len(kinds) = 0 OR list_contains(kinds::VARCHAR[], kind_id));

-- The share of an amount summed over a group that comes from the rows where `kept` holds (an
-- aggregate: call it in a GROUP BY query); NULL when the group's amount is zero.
CREATE MACRO share_of(amount, kept) AS
    coalesce(sum(amount) FILTER (kept), 0)::DOUBLE / nullif(sum(amount), 0);

-- The région the région filter means for an establishment: its région, or its département for an
-- overseas collectivity that has no région (the filter offers those départements as régions).
CREATE MACRO scope_region(region_code, departement_code) AS
    coalesce(region_code, departement_code);

-- Each establishment's scope columns, as the derived tables carry them: DISP, région (as the
-- filter means it), département, management mode (empty when not known) and type.
CREATE MACRO establishment_scope() AS TABLE
    SELECT e.establishment_id, e.disp,
           scope_region(e.region_code, e.departement_code) AS region_code,
           e.departement_code, m.management_mode, e.type_code
    FROM establishment AS e
    LEFT JOIN establishment_management AS m USING (establishment_id);

-- The operator groups (ESS, for-profit, public, unknown) as charts show them: the colour and the
-- place of the group's first kind.
CREATE MACRO kind_groups() AS TABLE
    SELECT kind_group, first(color ORDER BY sort_order) AS color, min(sort_order) AS sort_order
    FROM operator_kind
    GROUP BY kind_group;

-- Like for like: the rows of a query's per-operator figures (a CTE named as a string, with
-- domain_id, operator_id, kind_group, value and the figure's pooled_top and pooled_bottom), each
-- with its domain and group's count of operators, pooled figure sum(pooled_top) /
-- sum(pooled_bottom), p10, median and p90 of the operators' values, comparable from 3 operators
-- (fewer is not a comparison), and the names the chart shows.
CREATE MACRO within_domain(per_operator) AS TABLE
    WITH per_group AS (
        SELECT domain_id, kind_group,
               count(*) AS operators,
               sum(pooled_top) / sum(pooled_bottom) AS group_value,
               quantile_cont(value, 0.1) AS p10,
               quantile_cont(value, 0.5) AS median,
               quantile_cont(value, 0.9) AS p90
        FROM query_table(per_operator)
        GROUP BY ALL
    )
    SELECT
        o.*,
        d.label_fr AS domain_fr,
        d.label_en AS domain_en,
        g.color,
        op.name AS operator_name,
        s.operators,
        s.operators >= 3 AS comparable,
        s.group_value,
        s.p10,
        s.median,
        s.p90
    FROM query_table(per_operator) AS o
    JOIN per_group AS s USING (domain_id, kind_group)
    JOIN service_domain AS d USING (domain_id)
    JOIN operator AS op USING (operator_id)
    JOIN kind_groups() AS g USING (kind_group)
    ORDER BY d.sort_order, g.sort_order, o.value;

-- The establishments (every column of establishment) in the DISP / région / département /
-- management mode / type filters.
CREATE MACRO establishment_in_scope(disps, regions, departements, modes, types) AS TABLE
    SELECT e.*
    FROM establishment AS e
    JOIN establishment_scope() AS s USING (establishment_id)
    WHERE in_scope(s.disp, s.region_code, s.departement_code, s.management_mode, s.type_code,
                   NULL, NULL, disps, regions, departements, modes, types,
                   []::VARCHAR[], []::VARCHAR[]);

-- The rows of a fact table (market_revenue, reallocation_by_market or outcome_fact, named as a
-- string) of the years year_from to year_to in the global filters.
CREATE MACRO scoped(fact, year_from, year_to, disps, regions, departements, modes, types, domains,
                    kinds) AS TABLE
    SELECT *
    FROM query_table(fact)
    WHERE year BETWEEN year_from AND year_to
      AND in_scope(disp, region_code, departement_code, management_mode, type_code, domain_id,
                   kind_id, disps, regions, departements, modes, types, domains, kinds);

-- The associations present in the period: an intervention, in the years year_from to year_to, in
-- an establishment of the DISP / région / type filters.
CREATE MACRO associations_present(year_from, year_to, disps, regions, departements, modes,
                                  types) AS TABLE
    SELECT DISTINCT i.association_id
    FROM association_intervention AS i
    JOIN establishment_in_scope(disps, regions, departements, modes, types) AS e
        USING (establishment_id)
    WHERE i.year BETWEEN year_from AND year_to;

-- The partnership graph of the period: partnerships started by year_to and not ended before
-- year_from, between two associations present in the period.
CREATE MACRO partnerships_present(year_from, year_to, disps, regions, departements, modes,
                                  types) AS TABLE
    WITH present AS (
        SELECT association_id
        FROM associations_present(year_from, year_to, disps, regions, departements, modes, types)
    )
    SELECT *
    FROM association_partnership
    WHERE since_year <= year_to
      AND (ended_year IS NULL OR ended_year >= year_from)
      AND association_id IN (SELECT association_id FROM present)
      AND partner_id IN (SELECT association_id FROM present);

-- The published contracts (DECP) in the global filters, with their holder's kind and the year
-- they were notified: years and kinds as for markets; a domain filter keeps the contracts of
-- those domains (a multiservice contract has none of its own, so it is then left out); a place
-- filter keeps the contracts located in an establishment in scope (not located ones are then
-- left out).
CREATE MACRO procurement_scoped(year_from, year_to, disps, regions, departements, modes, types,
                                domains, kinds) AS TABLE
    SELECT c.*, year(c.notified_on) AS year, o.kind_id
    FROM procurement_contract AS c
    JOIN operator AS o USING (operator_id)
    WHERE year(c.notified_on) BETWEEN year_from AND year_to
      AND (len(kinds) = 0 OR list_contains(kinds::VARCHAR[], o.kind_id))
      AND (len(domains) = 0 OR list_contains(domains::VARCHAR[], c.domain_id))
      AND (len(disps) + len(regions) + len(types) = 0
           OR c.procurement_id IN (
               SELECT p.procurement_id
               FROM procurement_establishment AS p
               JOIN establishment_in_scope(disps, regions, departements, modes, types) AS e
                   USING (establishment_id)));

CREATE TABLE establishment_population AS
WITH by_month AS (
    SELECT
        establishment_id,
        month,
        sum(detainees)::INTEGER AS detainees,
        sum(operational_capacity)::INTEGER AS operational_capacity,
        CASE WHEN bool_and(provenance = 'real') THEN 'real' ELSE 'modeled' END AS provenance,
        -- the source of a row that is not real, if any (false sorts first), else the real one
        arg_min(source_id, provenance = 'real') AS source_id
    FROM population_monthly
    GROUP BY establishment_id, month
)
SELECT b.*, e.disp, e.region_code, e.departement_code, e.management_mode, e.type_code
FROM by_month AS b
JOIN establishment_scope() AS e USING (establishment_id)
ORDER BY month, establishment_id;
COMMENT ON TABLE establishment_population IS 'Derived: detainees and operational places per establishment and month (sum of its quartiers), with its DISP, région and type.';
COMMENT ON COLUMN establishment_population.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN establishment_population.month IS 'First day of the month.';
COMMENT ON COLUMN establishment_population.detainees IS 'Detainees held, people (quartiers with NC left out).';
COMMENT ON COLUMN establishment_population.operational_capacity IS 'Operational places, summed over quartiers.';
COMMENT ON COLUMN establishment_population.provenance IS 'real if every quartier row that month is real, else modeled.';
COMMENT ON COLUMN establishment_population.source_id IS 'Source of the month''s figures: that of a quartier row that is not real if any, else of the real ones (source).';
COMMENT ON COLUMN establishment_population.disp IS 'DISP of the establishment.';
COMMENT ON COLUMN establishment_population.region_code IS 'Région code of the establishment (département code for overseas collectivities without a région).';
COMMENT ON COLUMN establishment_population.departement_code IS 'Département code of the establishment.';
COMMENT ON COLUMN establishment_population.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known.';
COMMENT ON COLUMN establishment_population.type_code IS 'Establishment type.';

-- A contract known only by its amount and dates (no revenue rows, as in the public procurement
-- data) still counts in the market value: its amount spread over its days and, equally, over its
-- establishments; those rows are modeled (illustrative if the contract is).
CREATE TABLE market_revenue AS
WITH spread AS (
    SELECT
        c.contract_id,
        ce.establishment_id,
        y.year,
        c.awarded_value_eur::DOUBLE
            * (least(c.end_date, make_date(y.year, 12, 31))
               - greatest(c.start_date, make_date(y.year, 1, 1)) + 1)
            / (c.end_date - c.start_date + 1)
            / count(*) OVER (PARTITION BY c.contract_id, y.year)
            AS revenue_eur,
        CASE WHEN c.provenance = 'real' THEN 'modeled' ELSE c.provenance END AS provenance,
        c.source_id
    FROM contract AS c
    JOIN contract_establishment AS ce USING (contract_id)
    CROSS JOIN LATERAL (
        SELECT unnest(range(year(c.start_date), year(c.end_date) + 1))::INTEGER AS year
    ) AS y
    WHERE c.awarded_value_eur > 0
      AND NOT EXISTS (SELECT 1 FROM contract_revenue AS r WHERE r.contract_id = c.contract_id)
),
revenue AS (
    SELECT contract_id, establishment_id, year, revenue_eur, provenance, source_id
    FROM contract_revenue
    UNION ALL
    SELECT contract_id, establishment_id, year, revenue_eur::DECIMAL(16, 2), provenance, source_id
    FROM spread
)
SELECT
    r.year,
    r.establishment_id,
    e.disp,
    e.region_code,
    e.departement_code,
    e.management_mode,
    e.type_code,
    c.domain_id,
    c.contract_id,
    c.operator_id,
    o.kind_id,
    k.is_ess,
    c.payer_id,
    -- régie is a way of managing, not a payer: its rows are a cost, kept apart from every payer
    CASE WHEN c.contract_kind_id = 'regie' THEN 'regie' ELSE p.payer_group_id END
        AS payer_group_id,
    c.contract_kind_id,
    r.revenue_eur,
    r.provenance,
    r.source_id,
    EXISTS (SELECT 1 FROM operator_result AS a
            WHERE a.operator_id = c.operator_id AND a.year = r.year) AS has_accounts,
    EXISTS (SELECT 1 FROM reallocation AS a
            WHERE a.operator_id = c.operator_id AND a.year = r.year) AS has_split,
    EXISTS (SELECT 1 FROM outcome AS a
            WHERE a.operator_id = c.operator_id AND a.year = r.year) AS has_outcomes
FROM revenue AS r
JOIN contract AS c USING (contract_id)
JOIN operator AS o USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
JOIN payer AS p ON p.payer_id = c.payer_id
JOIN establishment_scope() AS e ON e.establishment_id = r.establishment_id
ORDER BY r.year, r.establishment_id;
COMMENT ON TABLE market_revenue IS 'Derived: contract revenue per year, establishment and contract, with who pays it (the market value is the part the prison administration pays), with the scope columns every filter uses. A contract without revenue rows counts its awarded value spread over its days and establishments (modeled rows).';
COMMENT ON COLUMN market_revenue.year IS 'Calendar year.';
COMMENT ON COLUMN market_revenue.establishment_id IS 'Establishment (establishment).';
COMMENT ON COLUMN market_revenue.disp IS 'DISP of the establishment.';
COMMENT ON COLUMN market_revenue.region_code IS 'Région code (département code for overseas collectivities without a région).';
COMMENT ON COLUMN market_revenue.departement_code IS 'Département code of the establishment.';
COMMENT ON COLUMN market_revenue.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known.';
COMMENT ON COLUMN market_revenue.type_code IS 'Establishment type.';
COMMENT ON COLUMN market_revenue.domain_id IS 'Service domain of the contract.';
COMMENT ON COLUMN market_revenue.contract_id IS 'Contract (contract).';
COMMENT ON COLUMN market_revenue.operator_id IS 'Holder of the contract (operator).';
COMMENT ON COLUMN market_revenue.kind_id IS 'Kind of the holder (operator_kind).';
COMMENT ON COLUMN market_revenue.is_ess IS 'True if the holder''s kind is ESS.';
COMMENT ON COLUMN market_revenue.payer_id IS 'Who pays the holder (payer).';
COMMENT ON COLUMN market_revenue.payer_group_id IS 'Kind of money (payer_group): administration (the market value), detained_people, concession_clients, other_public, or regie for a contract of public management whatever its payer.';
COMMENT ON COLUMN market_revenue.contract_kind_id IS 'Legal kind of the contract (contract_kind).';
COMMENT ON COLUMN market_revenue.revenue_eur IS 'Revenue, EUR (spread awarded value for a contract without revenue rows).';
COMMENT ON COLUMN market_revenue.provenance IS 'Provenance of the revenue row; modeled for a real contract''s spread value.';
COMMENT ON COLUMN market_revenue.source_id IS 'Source of the revenue row, or of the contract when its value is spread (source).';
COMMENT ON COLUMN market_revenue.has_accounts IS 'True if the holder has accounts (operator_result) that year: the coverage of the figures on results.';
COMMENT ON COLUMN market_revenue.has_split IS 'True if the holder''s result that year is split (reallocation): the coverage of the figures on where the result goes.';
COMMENT ON COLUMN market_revenue.has_outcomes IS 'True if the holder has outcomes that year: the coverage of the figures on outcomes.';

-- The market value in the global filters: the rows of market_revenue that the prison
-- administration pays (payer group administration). Canteen sales paid by detained people,
-- concession work paid by clients, other public funders and the cost of régie are never added
-- to it: money_by_payer.sql shows them beside it.
CREATE MACRO market_value_scoped(year_from, year_to, disps, regions, departements, modes, types,
                                 domains, kinds) AS TABLE
    SELECT *
    FROM scoped('market_revenue', year_from, year_to, disps, regions, departements, modes, types,
                domains, kinds)
    WHERE payer_group_id = 'administration';


-- An operator reports one result per year; to filter it by establishment or domain, each
-- reallocated euro is attributed to the markets in proportion to the revenue they brought.
CREATE TABLE reallocation_by_market AS
WITH market AS (
    SELECT *, sum(revenue_eur) OVER (PARTITION BY operator_id, year) AS operator_revenue_eur
    FROM market_revenue
)
SELECT
    m.year,
    m.establishment_id,
    m.disp,
    m.region_code,
    m.departement_code,
    m.management_mode,
    m.type_code,
    m.domain_id,
    m.operator_id,
    m.kind_id,
    m.is_ess,
    a.destination_id,
    d.category_id,
    dc.is_returned,
    -- In DOUBLE before multiplying: two DECIMAL amounts of 1e7 € overflow a DECIMAL(18) product.
    a.amount_eur::DOUBLE * m.revenue_eur::DOUBLE / m.operator_revenue_eur AS amount_eur,
    a.provenance,
    a.source_id
FROM reallocation AS a
JOIN market AS m ON m.operator_id = a.operator_id AND m.year = a.year
JOIN destination AS d USING (destination_id)
JOIN destination_category AS dc USING (category_id)
WHERE m.operator_revenue_eur > 0
ORDER BY m.year, m.establishment_id;
COMMENT ON TABLE reallocation_by_market IS 'Derived: each operator''s reallocated result attributed to its markets (establishment x domain) pro rata of the revenue each brought that year. Sums back to reallocation per operator and year.';
COMMENT ON COLUMN reallocation_by_market.year IS 'Financial year.';
COMMENT ON COLUMN reallocation_by_market.establishment_id IS 'Establishment of the market.';
COMMENT ON COLUMN reallocation_by_market.disp IS 'DISP of the establishment.';
COMMENT ON COLUMN reallocation_by_market.region_code IS 'Région code of the establishment.';
COMMENT ON COLUMN reallocation_by_market.departement_code IS 'Département code of the establishment.';
COMMENT ON COLUMN reallocation_by_market.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known.';
COMMENT ON COLUMN reallocation_by_market.type_code IS 'Establishment type.';
COMMENT ON COLUMN reallocation_by_market.domain_id IS 'Service domain of the market.';
COMMENT ON COLUMN reallocation_by_market.operator_id IS 'Operator whose result is allocated.';
COMMENT ON COLUMN reallocation_by_market.kind_id IS 'Kind of the operator.';
COMMENT ON COLUMN reallocation_by_market.is_ess IS 'True if the operator''s kind is ESS.';
COMMENT ON COLUMN reallocation_by_market.destination_id IS 'Use of the money (destination).';
COMMENT ON COLUMN reallocation_by_market.category_id IS 'Category of the destination.';
COMMENT ON COLUMN reallocation_by_market.is_returned IS 'True for reinsertion and family support.';
COMMENT ON COLUMN reallocation_by_market.amount_eur IS 'Attributed amount, EUR (not rounded).';
COMMENT ON COLUMN reallocation_by_market.provenance IS 'Provenance of the reallocation row.';
COMMENT ON COLUMN reallocation_by_market.source_id IS 'Source of the reallocation row (source).';

-- The reinsertion and family money of each reallocation (operator, year, destination) in the
-- global filters, as reallocation_by_market attributes it to the markets in scope, and its share
-- of the whole reallocation (share_in_scope): the part naming an association
-- (reallocation_beneficiary) follows the filters in that same proportion.
CREATE MACRO returned_in_scope(year_from, year_to, disps, regions, departements, modes, types,
                               domains, kinds) AS TABLE
    WITH returned AS (
        SELECT operator_id, year, destination_id, sum(amount_eur) AS amount_eur
        FROM scoped('reallocation_by_market', year_from, year_to, disps, regions, departements,
                    modes, types, domains, kinds)
        WHERE is_returned
        GROUP BY ALL
    )
    SELECT r.operator_id, r.year, r.destination_id, r.amount_eur,
           r.amount_eur / a.amount_eur::DOUBLE AS share_in_scope
    FROM returned AS r
    JOIN reallocation AS a USING (operator_id, year, destination_id)
    WHERE a.amount_eur > 0;

CREATE TABLE outcome_fact AS
SELECT
    o.year,
    o.establishment_id,
    e.disp,
    e.region_code,
    e.departement_code,
    e.management_mode,
    e.type_code,
    o.domain_id,
    o.operator_id,
    op.kind_id,
    k.is_ess,
    o.indicator_id,
    o.value,
    o.provenance,
    o.source_id
FROM outcome AS o
JOIN operator AS op USING (operator_id)
JOIN operator_kind AS k USING (kind_id)
JOIN establishment_scope() AS e ON e.establishment_id = o.establishment_id
ORDER BY o.year, o.establishment_id;
COMMENT ON TABLE outcome_fact IS 'Derived: outcomes with the scope columns every filter uses.';
COMMENT ON COLUMN outcome_fact.year IS 'Calendar year.';
COMMENT ON COLUMN outcome_fact.establishment_id IS 'Establishment.';
COMMENT ON COLUMN outcome_fact.disp IS 'DISP of the establishment.';
COMMENT ON COLUMN outcome_fact.region_code IS 'Région code of the establishment.';
COMMENT ON COLUMN outcome_fact.departement_code IS 'Département code of the establishment.';
COMMENT ON COLUMN outcome_fact.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known.';
COMMENT ON COLUMN outcome_fact.type_code IS 'Establishment type.';
COMMENT ON COLUMN outcome_fact.domain_id IS 'Service domain.';
COMMENT ON COLUMN outcome_fact.operator_id IS 'Operator.';
COMMENT ON COLUMN outcome_fact.kind_id IS 'Kind of the operator.';
COMMENT ON COLUMN outcome_fact.is_ess IS 'True if the operator''s kind is ESS.';
COMMENT ON COLUMN outcome_fact.indicator_id IS 'Indicator.';
COMMENT ON COLUMN outcome_fact.value IS 'Value in the indicator''s unit.';
COMMENT ON COLUMN outcome_fact.provenance IS 'Provenance of the outcome row.';
COMMENT ON COLUMN outcome_fact.source_id IS 'Source of the outcome row (source).';

-- The rollup the canteen queries read: at the bench's 50 M order lines it has about 1 M rows.
CREATE TABLE canteen_sale_monthly AS
SELECT
    s.establishment_id,
    date_trunc('month', s.sale_date)::DATE AS month,
    s.item_id,
    e.disp,
    e.region_code,
    e.departement_code,
    e.management_mode,
    e.type_code,
    sum(s.quantity)::BIGINT AS quantity,
    sum(s.amount_eur)::DECIMAL(18, 2) AS amount_eur
FROM canteen_sale AS s
JOIN establishment_scope() AS e USING (establishment_id)
GROUP BY ALL
ORDER BY month, s.establishment_id, s.item_id;
COMMENT ON TABLE canteen_sale_monthly IS 'Derived: canteen sales per establishment, month and item (rollup of canteen_sale), sorted by month.';
COMMENT ON COLUMN canteen_sale_monthly.establishment_id IS 'Establishment.';
COMMENT ON COLUMN canteen_sale_monthly.month IS 'First day of the month.';
COMMENT ON COLUMN canteen_sale_monthly.item_id IS 'Item (canteen_item).';
COMMENT ON COLUMN canteen_sale_monthly.disp IS 'DISP of the establishment.';
COMMENT ON COLUMN canteen_sale_monthly.region_code IS 'Région code of the establishment.';
COMMENT ON COLUMN canteen_sale_monthly.departement_code IS 'Département code of the establishment.';
COMMENT ON COLUMN canteen_sale_monthly.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known.';
COMMENT ON COLUMN canteen_sale_monthly.type_code IS 'Establishment type.';
COMMENT ON COLUMN canteen_sale_monthly.quantity IS 'Units sold.';
COMMENT ON COLUMN canteen_sale_monthly.amount_eur IS 'Amount paid by detainees, EUR.';


-- The weight of the rows every figure reads, by provenance and source, summed once per version at
-- the grain the filters need: figure_provenance.sql then reads one small table (planning one scan
-- costs less than planning a scan of each fact table through its macros).
CREATE TABLE provenance_weight AS
WITH weights AS (
    SELECT 'market_revenue' AS table_name, 'market' AS filtered_by, year, disp, region_code,
           departement_code, management_mode, type_code, domain_id, kind_id, provenance,
           source_id, sum(revenue_eur)::DOUBLE AS weight
    FROM market_revenue GROUP BY ALL
    UNION ALL
    -- the market value: the rows of market_revenue the prison administration pays
    SELECT 'market_value', 'market', year, disp, region_code,
           departement_code, management_mode, type_code, domain_id, kind_id,
           provenance, source_id, sum(revenue_eur)::DOUBLE
    FROM market_revenue WHERE payer_group_id = 'administration' GROUP BY ALL
    UNION ALL
    SELECT 'reallocation_by_market', 'market', year, disp, region_code,
           departement_code, management_mode, type_code, domain_id,
           kind_id, provenance, source_id, sum(amount_eur)::DOUBLE
    FROM reallocation_by_market GROUP BY ALL
    UNION ALL
    SELECT 'outcome_fact', 'market', year, disp, region_code,
           departement_code, management_mode, type_code, domain_id, kind_id,
           provenance, source_id, count(*)::DOUBLE
    FROM outcome_fact GROUP BY ALL
    UNION ALL
    SELECT 'establishment_population', 'place', year(month), disp,
           region_code, departement_code, management_mode, type_code, NULL,
           NULL, provenance, source_id, sum(detainees)::DOUBLE
    FROM establishment_population GROUP BY ALL
    UNION ALL
    SELECT 'establishment', 'place', NULL, e.disp, e.region_code,
           e.departement_code, e.management_mode, e.type_code, NULL, NULL,
           s.provenance, x.source_id, count(*)::DOUBLE
    FROM establishment AS x
    JOIN establishment_scope() AS e USING (establishment_id)
    JOIN source AS s ON s.source_id = x.source_id
    GROUP BY ALL
    UNION ALL
    SELECT 'contract', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM contract GROUP BY ALL
    UNION ALL
    SELECT 'operator_result', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM operator_result GROUP BY ALL
    UNION ALL
    SELECT 'canteen_price', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM canteen_price GROUP BY ALL
    UNION ALL
    SELECT 'target', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM target GROUP BY ALL
    UNION ALL
    SELECT 'sroi_proxy', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM sroi_proxy GROUP BY ALL
    UNION ALL
    SELECT 'association', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM association GROUP BY ALL
    UNION ALL
    SELECT 'association_intervention', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM association_intervention GROUP BY ALL
    UNION ALL
    SELECT 'association_partnership', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM association_partnership GROUP BY ALL
    UNION ALL
    SELECT 'joint_action', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM joint_action GROUP BY ALL
    UNION ALL
    -- conventions with institutions and funders (the network annual report counts them)
    SELECT 'institution_convention', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM institution_convention GROUP BY ALL
    UNION ALL
    -- the link between associations and operators
    SELECT 'operator_partnership', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, count(*)
    FROM operator_partnership GROUP BY ALL
    UNION ALL
    SELECT 'reallocation_beneficiary', 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           provenance, source_id, sum(amount_eur)::DOUBLE
    FROM reallocation_beneficiary GROUP BY ALL
)
SELECT * FROM weights WHERE weight > 0
ORDER BY table_name, year;
COMMENT ON TABLE provenance_weight IS 'Derived: the weight of the rows figures read, per table, provenance and source, and per year and scope where the filters apply: euros for market value and reallocated result, detainees for population, rows otherwise (tables figures read whole have no year or scope). What sql/figure_provenance.sql adds up to give each figure its provenance mark and source line, in one scan.';
COMMENT ON COLUMN provenance_weight.table_name IS 'Table the rows belong to; market_value for the rows of market_revenue that make the market value (paid by the prison administration).';
COMMENT ON COLUMN provenance_weight.filtered_by IS 'Which filters apply: market (years and every filter), place (years where known, DISP, région and type) or none (the whole table).';
COMMENT ON COLUMN provenance_weight.year IS 'Calendar year (empty for tables without one).';
COMMENT ON COLUMN provenance_weight.disp IS 'DISP of the establishment (empty when the filters do not apply).';
COMMENT ON COLUMN provenance_weight.region_code IS 'Région code of the establishment (empty when the filters do not apply).';
COMMENT ON COLUMN provenance_weight.departement_code IS 'Département code of the establishment (empty when the filters do not apply).';
COMMENT ON COLUMN provenance_weight.management_mode IS 'Management mode of the establishment (establishment_management), empty when not known or when the filters do not apply.';
COMMENT ON COLUMN provenance_weight.type_code IS 'Establishment type (empty when the filters do not apply).';
COMMENT ON COLUMN provenance_weight.domain_id IS 'Service domain (facts of markets only).';
COMMENT ON COLUMN provenance_weight.kind_id IS 'Operator kind (facts of markets only).';
COMMENT ON COLUMN provenance_weight.provenance IS 'real, modeled or illustrative.';
COMMENT ON COLUMN provenance_weight.source_id IS 'Source of the rows (source).';
COMMENT ON COLUMN provenance_weight.weight IS 'Euros, detainees or rows, as the figures reading the table add them up.';
