{% macro seg_model_space_assignment(case_name, points, id_column) %}
  {#-
    Segment of every row of `points` (standardised under the model's scaler) for the cases that do
    not cluster the standardised features directly: with a reduction the rows are first projected
    on the stored components; a Gaussian mixture assigns the most probable component (ties to the
    lower id), k-means and Ward the nearest centroid in the model's space. distance_to_centroid is
    measured in that space (to the component mean for a mixture).
    Returns: <id_column>, segment_id, distance_to_centroid.
  -#}
  {%- set spec = customer_segmentation.seg_spec(case_name) -%}
  {%- if spec.get('reduction') -%}
    {%- set model_features = customer_segmentation.seg_component_names(spec.reduction.n_components) -%}
  {%- else -%}
    {%- set model_features = spec.features -%}
  {%- endif -%}
  {%- if spec.algorithm == 'gmm' -%}
    {%- set centres = customer_segmentation.seg_model_centres(
        customer_segmentation.seg_current_model(case_name, 'int_segment_gmm_means'), case_name, 'model_feature', 'mean_value'
    ) -%}
  {%- else -%}
    {%- set centres = customer_segmentation.seg_model_centres(
        customer_segmentation.seg_current_model(case_name, 'int_segment_reduced_centroids'), case_name
    ) -%}
  {%- endif -%}
  with model_points as (
    {%- if spec.get('reduction') %}
      {{ customer_segmentation.seg_project(
          points, id_column, customer_segmentation.seg_current_model(case_name, 'int_segment_projections'),
          case_name, spec.features
      ) }}
    {%- else %}
      select * from {{ points }}
    {%- endif %}
  )

  {%- if spec.algorithm == 'gmm' %},

    posteriors as (
      {{ customer_segmentation.seg_gmm_posteriors(
          'model_points', id_column, customer_segmentation.seg_current_mixture(case_name), case_name, model_features
      ) }}
    ),

    ranked as (
      select
        {{ id_column }},
        segment_id,
        row_number() over (partition by {{ id_column }} order by probability desc, segment_id) as posterior_rank
      from posteriors
    ),

    centre_rows as (
      {{ customer_segmentation.seg_centroid_columns(centres, 'true', model_features) }}
    )

    select
      model_points.{{ id_column }},
      ranked.segment_id,
      sqrt(
        {%- for feature in model_features %}
          {%- set point = 'model_points.' ~ adapter.quote(feature | lower) %}
          {%- set centre = 'centre_rows.' ~ adapter.quote('c__' ~ feature | lower) %}
          ({{ point }} - {{ centre }}) * ({{ point }} - {{ centre }}){% if not loop.last %} +{% endif %}
        {%- endfor %}
      ) as distance_to_centroid
    from model_points
    inner join ranked on model_points.{{ id_column }} = ranked.{{ id_column }} and ranked.posterior_rank = 1
    inner join centre_rows on ranked.segment_id = centre_rows.segment_id
  {%- else %}

    {{ customer_segmentation.seg_nearest_centroid('model_points', id_column, centres, 'true', model_features) }}
  {%- endif %}
{% endmacro %}
