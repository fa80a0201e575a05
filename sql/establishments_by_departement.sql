-- Establishments: detainees, operational places and occupancy per département in the last month
-- of the period, for the choropleth (metropolitan départements: the bundled outlines have no
-- overseas ones). Parameters: $year_to, $disps, $regions, $departements, $modes, $types.
WITH last_month AS (
    SELECT max(month) AS month FROM establishment_population WHERE year(month) <= $year_to
)
SELECT
    e.departement_code,
    e.departement_name,
    count(*) AS establishments,
    sum(p.detainees)::BIGINT AS detainees,
    sum(p.operational_capacity)::BIGINT AS operational_capacity,
    sum(p.detainees) / nullif(sum(p.operational_capacity), 0) AS occupancy
FROM establishment_in_scope($disps, $regions, $departements, $modes, $types) AS e
JOIN establishment_population AS p
    ON p.establishment_id = e.establishment_id AND p.month = (SELECT month FROM last_month)
WHERE NOT e.is_overseas
GROUP BY ALL
ORDER BY e.departement_code
