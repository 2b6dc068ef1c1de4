{% macro seg_profile_case(case_name) %}
  {#-
    Long profile of a case: per segment and profile feature, the segment mean in original units,
    the population mean and sd, lift (segment mean / population mean) and z-score.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  {%- set columns = customer_segmentation.seg_columns(features_model, spec.profile_features) -%}
  {#- Grouped by segment alone: every assignment of a case is by its current model, and carrying the
      model id through the join of every customer costs more than the averages (1.5-2 s at 10M). -#}
  with members as (
    select
      assignments.segment_id,
      {%- for column in columns %}
        cast(usable.{{ column }} as double) as {{ adapter.quote('f_' ~ loop.index) }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
    {{ customer_segmentation.seg_join_assignments(case_name, 'usable') }}
  ),

  segment_means as (
    -- One pass: per segment the mean and the variance; the population's follow from them.
    select
      segment_id,
      {%- for column in columns %}
        avg({{ adapter.quote('f_' ~ loop.index) }}) as {{ adapter.quote('f_' ~ loop.index) }},
        var_pop({{ adapter.quote('f_' ~ loop.index) }}) as {{ adapter.quote('var_' ~ loop.index) }},
      {%- endfor %}
      count(*) as customers
    from members
    group by segment_id
  ),

  population_means as (
    select
      {%- for column in columns %}
        sum(customers * {{ adapter.quote('f_' ~ loop.index) }}) / sum(customers) as {{ adapter.quote('mean_' ~ loop.index) }}
        {%- if not loop.last %},{% endif %}
      {%- endfor %}
    from segment_means
  ),

  population as (
    -- Total variance = within-segment variance + variance of the segment means.
    select
      {%- for column in columns %}
        max(population_means.{{ adapter.quote('mean_' ~ loop.index) }}) as {{ adapter.quote('mean_' ~ loop.index) }},
        sqrt(greatest(
          sum(customers * ({{ adapter.quote('var_' ~ loop.index) }}
            + ({{ adapter.quote('f_' ~ loop.index) }} - population_means.{{ adapter.quote('mean_' ~ loop.index) }})
            * ({{ adapter.quote('f_' ~ loop.index) }} - population_means.{{ adapter.quote('mean_' ~ loop.index) }})))
          / sum(customers),
          0
        )) as {{ adapter.quote('sd_' ~ loop.index) }}
        {%- if not loop.last %},{% endif %}
      {%- endfor %}
    from segment_means
    cross join population_means
  )

  {% for feature in spec.profile_features %}
    {%- set mean = 'segment_means.' ~ adapter.quote('f_' ~ loop.index) %}
    {%- set population_mean = 'population.' ~ adapter.quote('mean_' ~ loop.index) %}
    {%- set population_sd = 'population.' ~ adapter.quote('sd_' ~ loop.index) %}
    select
      '{{ case_name }}' as case_name,
      (select model_id from {{ customer_segmentation.seg_current_model(case_name) }} limit 1) as model_id,
      segment_means.segment_id,
      '{{ feature | lower }}' as feature,
      {{ loop.index }} as feature_position,
      segment_means.customers,
      {{ mean }} as segment_mean,
      {{ population_mean }} as population_mean,
      {{ population_sd }} as population_sd,
      {{ mean }} / nullif({{ population_mean }}, 0) as lift,
      ({{ mean }} - {{ population_mean }}) / nullif({{ population_sd }}, 0) as z_score
    from segment_means
    cross join population
    {% if not loop.last %}union all{% endif %}
  {%- endfor %}
{% endmacro %}


{% macro seg_wide_profile(case_name) %}
  {#- The marketer's table: one row per segment with size, share and the mean of every profile feature. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  select
    summary.segment_id,
    summary.segment_name,
    {%- for feature in spec.profile_features %}
      max(case when profiles.feature = '{{ feature | lower }}' then profiles.segment_mean end)
        as {{ adapter.quote(feature | lower) }},
    {%- endfor %}
    summary.customers,
    summary.share
  from {{ ref('segment_summary') }} as summary
  inner join {{ ref('segment_profiles') }} as profiles
    on summary.case_name = profiles.case_name and summary.segment_id = profiles.segment_id
  where summary.case_name = '{{ case_name }}'
  group by summary.segment_id, summary.segment_name, summary.customers, summary.share
{% endmacro %}


{% macro seg_quarantine_case(case_name) %}
  {#- Rows of a case that the feature model's rules quarantined, with the reason. -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  select
    '{{ case_name }}' as case_name,
    cast({{ customer_segmentation.seg_column(features_model, spec.id_column) }} as varchar) as customer_id,
    quarantine_reason
  from {{ features_model }}
  where quarantine_reason is not null
{% endmacro %}
