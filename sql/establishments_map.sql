-- Establishments: every establishment in the place filters, with its management mode, its detainees,
-- operational places and occupancy in the last month of the period (establishment_population:
-- real from April 2025, modeled before), and the number of its quartiers whose headcount is not
-- published that month (NC: left out of the detainees), with the sources of both rows. Domain and
-- kind filters do not apply.
-- Parameters: $year_to, $disps, $regions, $departements, $modes, $types.
WITH last_month AS (
    SELECT max(month) AS month FROM establishment_population WHERE year(month) <= $year_to
),
unpublished AS (
    SELECT establishment_id, count(*) FILTER (detainees IS NULL) AS quartiers_nc
    FROM population_monthly
    WHERE month = (SELECT month FROM last_month)
    GROUP BY establishment_id
)
SELECT
    e.establishment_id,
    e.name,
    e.type_code,
    e.city,
    e.departement_code,
    e.region_name,
    m.management_mode,
    e.is_overseas,
    e.latitude,
    e.longitude,
    p.month,
    p.detainees,
    p.operational_capacity,
    p.detainees / nullif(p.operational_capacity, 0) AS occupancy,
    p.provenance,
    p.source_id,
    e.source_id AS establishment_source_id,
    coalesce(u.quartiers_nc, 0) AS quartiers_nc
FROM establishment_in_scope($disps, $regions, $departements, $modes, $types) AS e
LEFT JOIN establishment_population AS p
    ON p.establishment_id = e.establishment_id AND p.month = (SELECT month FROM last_month)
LEFT JOIN unpublished AS u ON u.establishment_id = e.establishment_id
LEFT JOIN establishment_management AS m ON m.establishment_id = e.establishment_id
ORDER BY e.name
