-- Associations directory: one row per association present (an intervention in the years of the
-- period) in an establishment of the DISP / région / type filters, matching the name search
-- (accents, case and punctuation aside), the fields of action, the settings and the
-- establishments chosen (an empty list means all), with where it intervenes and its partners. Contacts are the organisation's.
-- Parameters: $year_from, $year_to, $disps, $regions, $departements, $modes, $types, $search,
--   $fields, $settings,
-- $establishments.
WITH present AS (
    SELECT DISTINCT i.association_id, e.establishment_id, e.name AS establishment
    FROM association_intervention AS i
    JOIN establishment_in_scope($disps, $regions, $departements, $modes,
                                $types) AS e USING (establishment_id)
    WHERE i.year BETWEEN $year_from AND $year_to
),
chosen AS (
    SELECT association_id
    FROM present
    GROUP BY association_id
    HAVING len($establishments::VARCHAR[]) = 0
        OR bool_or(list_contains($establishments::VARCHAR[], establishment_id))
),
partners AS (
    SELECT p.association_id AS id, a.name FROM association_partnership AS p
    JOIN association AS a ON a.association_id = p.partner_id
    WHERE p.since_year <= $year_to
    UNION ALL
    SELECT p.partner_id AS id, a.name FROM association_partnership AS p
    JOIN association AS a ON a.association_id = p.association_id
    WHERE p.since_year <= $year_to
)
SELECT
    a.association_id,
    a.name,
    a.field_id,
    a.scope,
    a.setting,
    a.address,
    a.postal_code,
    a.city,
    a.email,
    a.phone,
    (SELECT count(*) FROM present AS s WHERE s.association_id = a.association_id)
        AS establishment_count,
    (SELECT string_agg(s.establishment, ', ' ORDER BY s.establishment) FROM present AS s
     WHERE s.association_id = a.association_id) AS establishments,
    (SELECT string_agg(n.name, ', ' ORDER BY n.name) FROM partners AS n
     WHERE n.id = a.association_id) AS partners
FROM association AS a
JOIN chosen USING (association_id)
WHERE (len($fields::VARCHAR[]) = 0 OR list_contains($fields::VARCHAR[], a.field_id))
  AND (len($settings::VARCHAR[]) = 0 OR list_contains($settings::VARCHAR[], a.setting))
  -- accents, case and punctuation aside: 'boussole etoile' finds « La Boussole-Étoile »
  AND ($search = '' OR contains(
        trim(regexp_replace(strip_accents(lower(a.name)), '[^a-z0-9]+', ' ', 'g')),
        trim(regexp_replace(strip_accents(lower($search)), '[^a-z0-9]+', ' ', 'g'))))
ORDER BY a.name
