{% macro seg_gmm_posteriors(points, id_column, mixture, case_name, features) %}
  {#-
    Posterior probability of every Gaussian-mixture component (segment) for every row of `points`,
    from one model version of the case's mixture: `mixture` maps components, means and
    precision_cholesky to relations shaped as int_segment_gmm_components, int_segment_gmm_means and
    int_segment_gmm_precision_cholesky (entries P[i, j] not stored are 0).
    `features` are the model's columns in `points`: the standardised features, or component_1..q when
    the case clusters on a reduction (project first with seg_project). With P_c the upper-triangular
    Cholesky factor of component c's precision (scikit-learn's precisions_cholesky_),
      log p(x, c) = log w_c - p/2 log(2 pi) + log det P_c - 1/2 sum_j y_cj^2,
      y_cj = sum_{i <= j} (x_i - mu_ci) * P_c[i, j],
    and the posteriors are the softmax of log p(x, c) over c (computed stably, from the maximum).
    Returns: <id_column>, segment_id, probability (k rows per point, summing to 1).
  -#}
  {{ return(adapter.dispatch('seg_gmm_posteriors', 'customer_segmentation')(
      points, id_column, mixture, case_name, features
  )) }}
{% endmacro %}


{% macro default__seg_gmm_posteriors(points, id_column, mixture, case_name, features) %}
  {%- set n = features | length %}
  {%- set case_literal = customer_segmentation.seg_literal(case_name) %}
  with components as (
    select
      segment_id,
      log_weight,
      log_det_precision_cholesky as log_det_precision
    from {{ mixture.components }}
    where case_name = {{ case_literal }}
  ),

  means as (
    select
      segment_id,
      {%- for feature in features %}
        max(case when model_feature = '{{ feature | lower }}' then mean_value end)
          as mean_{{ loop.index }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ mixture.means }}
    where case_name = {{ case_literal }}
    group by segment_id
  ),

  precisions as (
    select
      segment_id,
      {%- for column_feature in features %}
        {%- set j = loop.index %}
        {%- for row_feature in features[:j] %}
        coalesce(max(case
          when row_feature = '{{ row_feature | lower }}' and column_feature = '{{ column_feature | lower }}'
            then cholesky_value
        end), 0) as prec_{{ loop.index }}_{{ j }}{% if not (j == n and loop.last) %},{% endif %}
        {%- endfor %}
      {%- endfor %}
    from {{ mixture.precision_cholesky }}
    where case_name = {{ case_literal }}
    group by segment_id
  ),

  gmm_params as (
    select
      components.segment_id,
      components.log_weight,
      components.log_det_precision,
      {%- for column_feature in features %}
        {%- set j = loop.index %}
      means.mean_{{ j }},
        {%- for row_feature in features[:j] %}
      precisions.prec_{{ loop.index }}_{{ j }}{% if not (j == n and loop.last) %},{% endif %}
        {%- endfor %}
      {%- endfor %}
    from components
    inner join means on components.segment_id = means.segment_id
    inner join precisions on components.segment_id = precisions.segment_id
  ),

  whitened as (
    select
      points.{{ id_column }} as point_id,
      gmm_params.segment_id,
      gmm_params.log_weight,
      gmm_params.log_det_precision,
      {%- for column_feature in features %}
        {%- set j = loop.index %}
        (
          {%- for row_feature in features[:j] %}
          (points.{{ adapter.quote(row_feature | lower) }} - gmm_params.mean_{{ loop.index }})
            * gmm_params.prec_{{ loop.index }}_{{ j }}{% if not loop.last %} +{% endif %}
          {%- endfor %}
        ) as y_{{ j }}{% if not loop.last %},{% endif %}
      {%- endfor %}
    from {{ points }} as points
    cross join gmm_params
  ),

  log_densities as (
    select
      point_id,
      segment_id,
      log_weight - {{ n }} * 0.5 * ln(2 * pi()) + log_det_precision - 0.5 * (
        {%- for feature in features %}
        y_{{ loop.index }} * y_{{ loop.index }}{% if not loop.last %} +{% endif %}
        {%- endfor %}
      ) as log_density
    from whitened
  ),

  shifted as (
    select
      point_id,
      segment_id,
      log_density - max(log_density) over (partition by point_id) as log_density_shift
    from log_densities
  )

  select
    point_id as {{ id_column }},
    segment_id,
    exp(log_density_shift - ln(sum(exp(log_density_shift)) over (partition by point_id))) as probability
  from shifted
{% endmacro %}


{% macro seg_probabilities_case(case_name) %}
  {#-
    Segment probabilities of every usable row of a gmm case under the case's current model:
    (case_name, customer_id, segment_id, probability, model_id); no rows for other algorithms.
    Rows are standardised with the model's training scaler (seg_model_points); a case with a
    reduction is projected first (seg_project), then scored on its components.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- if spec.get('algorithm') == 'gmm' -%}
    {%- set id_column = customer_segmentation.seg_column(customer_segmentation.seg_features_relation(case_name), spec.id_column) -%}
    {%- set mixture = customer_segmentation.seg_current_mixture(case_name) -%}
    {%- if spec.get('reduction') -%}
      {%- set model_features = customer_segmentation.seg_component_names(spec.reduction.n_components) -%}
    {%- else -%}
      {%- set model_features = spec.features -%}
    {%- endif %}
    with standardized as (
      {{ customer_segmentation.seg_model_points(case_name) }}
    ),

    {%- if spec.get('reduction') %}

      points as (
        {{ customer_segmentation.seg_project(
            'standardized', id_column, customer_segmentation.seg_current_model(case_name, 'int_segment_projections'),
            case_name, spec.features
        ) }}
      ),
    {%- endif %}

    posteriors as (
      {{ customer_segmentation.seg_gmm_posteriors(
          'points' if spec.get('reduction') else 'standardized', id_column, mixture, case_name, model_features
      ) }}
    ),

    models as (
      select model_id
      from {{ customer_segmentation.seg_current_model(case_name) }} as current_model
    )

    select
      '{{ case_name }}' as case_name,
      cast(posteriors.{{ id_column }} as varchar) as customer_id,
      cast(posteriors.segment_id as bigint) as segment_id,
      cast(posteriors.probability as double) as probability,
      models.model_id
    from posteriors
    cross join models
  {%- else %}
    select
      cast(null as varchar) as case_name,
      cast(null as varchar) as customer_id,
      cast(null as bigint) as segment_id,
      cast(null as double) as probability,
      cast(null as varchar) as model_id
    where false
  {%- endif %}
{% endmacro %}


{% macro seg_current_mixture(case_name) %}
  {#- The current Gaussian mixture of a case, as seg_gmm_posteriors reads it (seg_current_model of each part). -#}
  {{ return({
    'components': customer_segmentation.seg_current_model(case_name, 'int_segment_gmm_components'),
    'means': customer_segmentation.seg_current_model(case_name, 'int_segment_gmm_means'),
    'precision_cholesky': customer_segmentation.seg_current_model(case_name, 'int_segment_gmm_precision_cholesky'),
  }) }}
{% endmacro %}
