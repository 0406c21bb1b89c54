SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'si_src.contribution'::regclass
