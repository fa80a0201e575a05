-- The schema's rules on single columns, for the data dictionary's "allowed values": CHECK
-- expressions, NOT NULL, keys, and the table a foreign key points to.
SELECT
    table_name,
    constraint_type,
    constraint_column_names[1] AS column_name,
    expression,
    referenced_table
FROM duckdb_constraints()
WHERE database_name = current_database()
  AND schema_name = 'main'
  AND len(constraint_column_names) = 1
ORDER BY table_name, column_name, constraint_type
