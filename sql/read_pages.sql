SELECT pg_relation_size('si_src.contribution') / current_setting('block_size')::bigint
