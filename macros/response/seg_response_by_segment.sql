{% macro seg_response_by_segment(case_name, target_column, mean_columns=[]) %}
  {#-
    Response to a campaign per segment of a case: for every segment of the case's current
    assignments, the customers, the responders (target = 1), the response rate, the overall
    rate and the lift (segment rate / overall rate), the segment's share of all responders, and
    the mean of each of `mean_columns` (as mean_<column>). The target is a 0/1 column of the
    case's features model; only usable rows (quarantine_reason null) that have a segment count.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- set features_model = customer_segmentation.seg_features_relation(case_name) -%}
  {%- set id_column = customer_segmentation.seg_column(features_model, spec.id_column) -%}
  {%- set target = customer_segmentation.seg_column(features_model, target_column) -%}
  {%- set means = customer_segmentation.seg_columns(features_model, mean_columns) -%}
  with members as (
    select
      assignments.model_id,
      assignments.segment_id,
      assignments.segment_name,
      cast(usable.{{ target }} as integer) as target_value
      {%- for column in means %},
        cast(usable.{{ column }} as double) as {{ adapter.quote('m_' ~ loop.index) }}
      {%- endfor %}
    from {{ customer_segmentation.seg_usable_rows(case_name) }} as usable
    inner join {{ ref('segment_assignments') }} as assignments
      on
        assignments.case_name = '{{ case_name }}'
        and cast(usable.{{ id_column }} as varchar) = assignments.customer_id
  ),

  by_segment as (
    select
      model_id,
      segment_id,
      segment_name,
      count(*) as customers,
      count(*) filter (where target_value = 1) as responders
      {%- for column in means %},
        avg({{ adapter.quote('m_' ~ loop.index) }}) as {{ adapter.quote('m_' ~ loop.index) }}
      {%- endfor %}
    from members
    group by model_id, segment_id, segment_name
  ),

  overall as (
    select
      count(*) as customers,
      count(*) filter (where target_value = 1) as responders
    from members
  )

  select
    '{{ case_name }}' as case_name,
    by_segment.model_id,
    by_segment.segment_id,
    by_segment.segment_name,
    by_segment.customers,
    by_segment.responders,
    by_segment.responders * 1.0 / by_segment.customers as response_rate,
    overall.responders * 1.0 / overall.customers as overall_response_rate,
    (by_segment.responders * 1.0 / by_segment.customers)
    / nullif(overall.responders * 1.0 / overall.customers, 0) as lift,
    by_segment.customers * 1.0 / overall.customers as customer_share,
    by_segment.responders * 1.0 / nullif(overall.responders, 0) as responder_share
    {%- for column in mean_columns %},
      by_segment.{{ adapter.quote('m_' ~ loop.index) }} as {{ adapter.quote('mean_' ~ column | lower) }}
    {%- endfor %}
  from by_segment
  cross join overall
{% endmacro %}


{% macro seg_targeting_action(lift, suppress_below, push_above) %}
  {#-
    The targeting label of a segment from its lift: 'suppress' when lift < suppress_below,
    'push' when lift > push_above, else 'neutral' (a null lift is 'neutral').
  -#}
  {%- if suppress_below is not number or push_above is not number or suppress_below > push_above -%}
    {{ exceptions.raise_compiler_error(
      "seg_targeting_action: need numbers suppress_below <= push_above, got "
      ~ suppress_below ~ " and " ~ push_above
    ) }}
  {%- endif -%}
  case
    when {{ lift }} < {{ suppress_below }} then 'suppress'
    when {{ lift }} > {{ push_above }} then 'push'
    else 'neutral'
  end
{% endmacro %}
