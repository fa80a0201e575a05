-- The sources behind the figures on screen, for source lines: one row per source.
SELECT source_id, title, publisher, url, licence, provenance, data_date
FROM source
ORDER BY CASE provenance WHEN 'real' THEN 0 WHEN 'modeled' THEN 1 ELSE 2 END, source_id
