-- Every table of the database and its columns, with the schema's comments (sql/schema.sql,
-- sql/derived.sql): the explorer's and the console's list of allowed identifiers, and the data
-- dictionary.
SELECT
    t.table_name,
    t.comment AS table_comment,
    c.column_index,
    c.column_name,
    c.data_type,
    c.is_nullable,
    c.comment AS column_comment
FROM duckdb_tables() AS t
JOIN duckdb_columns() AS c USING (database_name, schema_name, table_name)
WHERE t.database_name = current_database()
  AND t.schema_name = 'main'
  AND NOT t.internal
  AND NOT t.temporary
ORDER BY t.table_name, c.column_index
