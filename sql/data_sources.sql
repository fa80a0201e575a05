-- The sources behind the figures on screen, for source lines: one row per source, with the
-- English of the titles Maillon wrote (the reader's language is chosen in Python).
SELECT source_id, title, publisher, title_en, publisher_en, url, licence, licence_en, provenance,
       data_date
FROM source
ORDER BY CASE provenance WHEN 'real' THEN 0 WHEN 'modeled' THEN 1 ELSE 2 END, source_id
