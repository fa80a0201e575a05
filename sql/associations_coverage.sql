-- Coverage: every establishment of the DISP / région / type filters with its detainees in the last
-- month of the period and the fields of action of the associations intervening there in the last
-- year of the period (none when no association comes).
-- Parameters: $year_to, $disps, $regions, $departements, $modes, $types.
WITH last_month AS (
    SELECT max(month) AS month FROM establishment_population WHERE year(month) <= $year_to
),
fields AS (
    SELECT i.establishment_id,
           list(DISTINCT a.field_id ORDER BY a.field_id) AS fields
    FROM association_intervention AS i
    JOIN association AS a USING (association_id)
    WHERE i.year = $year_to
    GROUP BY i.establishment_id
)
SELECT
    e.establishment_id,
    e.name,
    e.region_name,
    e.is_overseas,
    e.latitude,
    e.longitude,
    p.detainees,
    coalesce(f.fields, []::VARCHAR[]) AS fields,
    len(coalesce(f.fields, []::VARCHAR[])) AS fields_covered
FROM establishment_in_scope($disps, $regions, $departements, $modes, $types) AS e
LEFT JOIN establishment_population AS p
    ON p.establishment_id = e.establishment_id AND p.month = (SELECT month FROM last_month)
LEFT JOIN fields AS f ON f.establishment_id = e.establishment_id
ORDER BY fields_covered, e.name
