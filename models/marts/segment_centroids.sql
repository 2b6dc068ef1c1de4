select
    centroids.case_name,
    centroids.model_id,
    centroids.model_version,
    centroids.is_current,
    centroids.segment_id,
    segments.segment_name,
    centroids.feature,
    centroids.feature_position,
    centroids.centroid_value as centroid_standardized,
    centroids.centroid_original_value as centroid_original
from {{ ref('int_segment_centroids') }} as centroids
inner join {{ ref('int_segments') }} as segments
    on
        centroids.model_id = segments.model_id
        and centroids.segment_id = segments.segment_id
