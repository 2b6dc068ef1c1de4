{% macro seg_hash_sample(relation, id_column, size, random_state) %}
  {#-
    About `size` rows of `relation` (all of them when it has fewer), chosen by a seeded hash of
    the id: the same customers on every run, in one pass and without sorting the table, so an
    exploratory mart costs the same at 100 million rows as at 1 million.
  -#}
  (
    select sampled.*
    from {{ relation }} as sampled
    where
      {{ customer_segmentation.seg_id_bucket('sampled.' ~ id_column, random_state) }}
      < cast({{ customer_segmentation.seg_hash_buckets() }} as double) * {{ size | int }} / (select greatest(count(*), 1) from {{ relation }} as counted)
  )
{%- endmacro %}


{% macro seg_hash_buckets() %}{{ return(1000000) }}{% endmacro %}


{% macro seg_id_bucket(id_expression, random_state) %}
  {#- An id's bucket in 0 .. seg_hash_buckets() - 1, from a hash of its text and the seed. -#}
  mod({{ customer_segmentation.seg_hash_number("cast(" ~ id_expression ~ " as varchar) || '|" ~ (random_state | int) ~ "'") }}, {{ customer_segmentation.seg_hash_buckets() }})
{%- endmacro %}


{% macro seg_hash_number(expression) %}
  {#- A non-negative 64-bit hash of a value, or of a composite key given as a list of expressions,
      for sample buckets and checksums (dispatched: warehouses without hash(), e.g. BigQuery with
      farm_fingerprint, override it). Sums of it need a wide accumulator (DuckDB's sum of ubigint
      is a hugeint). -#}
  {{ return(adapter.dispatch('seg_hash_number', 'customer_segmentation')(expression)) }}
{% endmacro %}


{% macro default__seg_hash_number(expression) %}
  abs(cast(hash({{ expression if expression is string else expression | join(" || '|' || ") }}) as decimal(38, 0)))
{%- endmacro %}


{% macro duckdb__seg_hash_number(expression) %}
  {#- hash() is already an unsigned 64-bit integer; casting it to hugeint first made the bucket's
      modulo ~20x slower (4.8 s vs 0.26 s over 10M ids). A composite key is hashed as hash(a, b, ..),
      half the cost of concatenating its text. -#}
  hash({{ expression if expression is string else expression | join(', ') }})
{%- endmacro %}
