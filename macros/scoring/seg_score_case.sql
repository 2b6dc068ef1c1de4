{% macro seg_score_case(case_name) %}
  {#-
    Scores a case's usable rows with its current model: z-scores under the model's stored training
    scaler, then the nearest stored centroid. In an incremental build only rows that are new, whose
    features changed (feature_hash) or that an older model scored are scored again.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(features_model, spec.id_column) -%}
  {%- set feature_columns = customer_segmentation.seg_columns(features_model, spec.features) -%}
  {%- set current_model = '(select model_id from ' ~ customer_segmentation.seg_current_model(case_name) ~ ' limit 1)' -%}
  {#- A filled blank hashes as null: when the fill (e.g. the median) moves, the row has not changed. -#}
  {%- set flags, hashed = customer_segmentation.seg_blank_flags(case_name), [] -%}
  {%- for column in feature_columns -%}
    {%- do hashed.append(customer_segmentation.seg_blank_aware(flags, spec.features[loop.index0], column, 'null')) -%}
  {%- endfor -%}
  with usable as (
    select
      usable.*,
      {{ customer_segmentation.seg_row_hash(hashed) }} as feature_hash
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
  ),

  to_score as (
    select
      usable.*,
      {%- if is_incremental() %}
        scored.segment_id as previous_segment_id
      {%- else %}
        cast(null as bigint) as previous_segment_id
      {%- endif %}
    from usable
    {%- if is_incremental() %}
      left join {{ this }} as scored
        on scored.case_name = '{{ case_name }}' and scored.customer_id = cast(usable.{{ id_column }} as varchar)
      where
        scored.customer_id is null
        or scored.feature_hash != usable.feature_hash
        or scored.model_id != {{ current_model }}
    {%- endif %}
  ),

  points as (
    {{ customer_segmentation.seg_standardized_rows(
        case_name,
        'to_score',
        customer_segmentation.seg_scaler_rows(ref('int_segment_model_scalers'), case_name, 'is_current'),
        passthrough=['feature_hash', 'previous_segment_id']
    ) }}
  ),

  {%- if spec.algorithm == 'gmm' or spec.get('reduction') %}

  nearest as (
    select
      assigned.*,
      points.feature_hash,
      points.previous_segment_id
    from ({{ customer_segmentation.seg_model_space_assignment(case_name, 'points', id_column) }}) as assigned
    inner join points on assigned.{{ id_column }} = points.{{ id_column }}
  )
  {%- else %}

  nearest as (
    {{ customer_segmentation.seg_nearest_centroid(
        'points',
        id_column,
        ref('int_segment_centroids'),
        "case_name = '" ~ case_name ~ "' and is_current",
        spec.features,
        passthrough=['feature_hash', 'previous_segment_id']
    ) }}
  )
  {%- endif %}

  select
    '{{ case_name }}' as case_name,
    cast({{ id_column }} as varchar) as customer_id,
    segment_id,
    distance_to_centroid,
    {{ current_model }} as model_id,
    feature_hash,
    previous_segment_id,
    {{ customer_segmentation.seg_run_timestamp() }} as scored_at
  from nearest
{% endmacro %}


{% macro seg_join_assignments(case_name, rows_alias) %}
  {#- Joins a case's rows (aliased `rows_alias`, holding the case's id column) to their current segment:
      `assignments` (segment_assignments) then offers segment_id, segment_name, model_id... Rows without a
      segment (quarantined) drop out. The one place the id is matched as text. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
  inner join {{ ref('segment_assignments') }} as assignments
    on
      assignments.case_name = {{ customer_segmentation.seg_literal(case_name) }}
      and cast({{ rows_alias }}.{{ id_column }} as varchar) = assignments.customer_id
{%- endmacro %}


{% macro seg_current_model(case_name=none, typed_model='int_segment_model_runs') %}
  {#- The one answer to "which model is current": the rows (a subquery) of a case's latest version, or every
      case's, in one of the typed model tables (models/segmentation/model/): by default its run row
      (int_segment_model_runs: model_id, model_version, k...), else `typed_model`'s (its centroids,
      projections...). is_current is computed once (int_segment_artifacts) and passed on by each typed
      model. Every score of a case is by this model after a build (rows an older model scored are scored again). -#}
  (select * from {{ ref(typed_model) }} where is_current
  {%- if case_name is not none %} and case_name = {{ customer_segmentation.seg_literal(case_name) }}{% endif %})
{%- endmacro %}


{% macro seg_prune_scores() %}
  {#- Post-hook of an incremental scores table: drops customers no longer usable in any case.
      After the insert every usable customer has one score, so a case's leavers number its scores
      minus its usable rows; the anti-join over every score (1 s at 10M) runs only when that is > 0.
      An outer join, not `not exists`, which DuckDB plans as a delim join here (3.6 s). -#}
  {%- if is_incremental() -%}
    {%- for case_name in customer_segmentation.seg_cases() %}
      {%- set spec = customer_segmentation.seg_spec(case_name) %}
      {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) %}
      {%- set leavers = run_query(
          "select (select count(*) from " ~ this ~ " where case_name = '" ~ case_name ~ "')"
          ~ " - (select count(*) from " ~ customer_segmentation.seg_usable_rows(case_name) ~ " as usable)"
        ).rows[0][0] %}
      {%- if leavers > 0 %}
      delete from {{ this }} as scored
      where
        scored.case_name = '{{ case_name }}'
        and scored.customer_id in (
          select kept.customer_id
          from {{ this }} as kept
          left join {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
            on cast(usable.{{ id_column }} as varchar) = kept.customer_id
          where kept.case_name = '{{ case_name }}' and usable.{{ id_column }} is null
        );
      {%- endif %}
    {%- endfor %}
    delete from {{ this }} where case_name not in ({{ customer_segmentation.seg_case_list() }});
  {%- endif -%}
{% endmacro %}


{% macro seg_row_hash(columns) %}
  {#- A hash of a row's values, to notice changed rows (DuckDB: a 64-bit number, cheaper to store than text). -#}
  {{ return(adapter.dispatch('seg_row_hash', 'customer_segmentation')(columns)) }}
{% endmacro %}


{% macro default__seg_row_hash(columns) %}
  md5(concat(
    {%- for column in columns %}
      coalesce(cast({{ column }} as varchar), '<null>'){% if not loop.last %}, '|',{% endif %}
    {%- endfor %}
  ))
{% endmacro %}


{% macro duckdb__seg_row_hash(columns) %}
  hash({{ columns | join(', ') }})
{% endmacro %}


{% macro seg_run_timestamp() %}
  {#- When this dbt invocation started (UTC), as a SQL timestamp: every row a run writes carries the same time. -#}
  cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
