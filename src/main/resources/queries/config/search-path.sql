-- The transaction's search_path: the bundle's schema, quoted as an identifier.
SELECT set_config('search_path', quote_ident(?), true)
