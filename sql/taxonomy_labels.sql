-- Labels (both languages), colours and display order of the taxonomies charts draw as nodes or
-- series: service domains, operator kinds, destination categories and destinations.
-- No parameters.
SELECT 'domain' AS type, domain_id AS id, label_fr, label_en, NULL AS color, sort_order
FROM service_domain
UNION ALL
SELECT 'kind', kind_id, label_fr, label_en, color, sort_order FROM operator_kind
UNION ALL
SELECT 'category', category_id, label_fr, label_en, NULL, sort_order FROM destination_category
UNION ALL
SELECT 'destination', destination_id, label_fr, label_en, NULL, sort_order FROM destination
ORDER BY type, sort_order
