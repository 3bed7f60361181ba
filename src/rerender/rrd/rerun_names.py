"""The names of rerun-sdk 0.41's archetypes and component types as descriptors in a recording give them
(`rerun.archetypes.Points3D`, `rerun.blueprint.components.Visible`): what this version knows, so that a
name from a newer Rerun can be told apart (`rerender.scene.newer`). Written out rather than read from
the SDK, whose import costs a third of a second that a render does not otherwise pay; a test checks the
lists against the SDK's.
"""

from __future__ import annotations

# ruff: noqa: SIM905 (words split from a block read, and are edited, more easily than 280 quoted strings)

_ARCHETYPES = """
    AnnotationContext Arrows2D Arrows3D Asset3D AssetAudio AssetVideo BarChart Boxes2D Boxes3D
    Capsules3D Clear CoordinateFrame Cylinders3D DepthImage Ellipses2D Ellipsoids3D EncodedDepthImage
    EncodedImage GaussianSplats3D GeoLineStrings GeoPoints GraphEdges GraphNodes GridMap Image
    InstancePoses3D LineStrips2D LineStrips3D McapChannel McapMessage McapSchema McapStatistics
    Measurements Mesh3D Pinhole Points2D Points3D RecordingInfo Scalars SegmentationImage SeriesLines
    SeriesPoints StateChange StateConfiguration Tensor TextDocument TextLog Transform3D TransformAxes3D
    VideoFrameReference VideoStream ViewCoordinates Volume3D VoxelGridMap
""".split()

_BLUEPRINT_ARCHETYPES = """
    ActiveVisualizers AudioPlayback Background BlueprintArchetype CardLayout ContainerBlueprint
    DataframeQuery EntityBehavior EyeControls3D ForceCenter ForceCollisionRadius ForceLink ForceManyBody
    ForcePosition GraphBackground LineGrid3D MapBackground MapZoom NearClipPlane PanelBlueprint
    PlotBackground PlotInteraction PlotLegend PreviewsConfig ScalarAxis SpatialInformation
    TableBlueprint TableColumn TableColumnPreview TableLayout TensorScalarMapping TensorSliceSelection
    TensorViewFit TextDocumentFormat TextLogColumns TextLogFormat TextLogRows TimeAxis
    TimePanelBlueprint ViewBlueprint ViewContents ViewportBlueprint VisibleTimeRanges VisualBounds2D
    VisualizerInstruction
""".split()

_COMPONENTS = """
    AggregationPolicy AlbedoFactor AnnotationContext AxisLength Blob Bool CellSize ChannelId
    ChannelMessageCounts ClassId ClearIsRecursive Color Colormap Count DepthMeter DrawOrder EntityPath
    EntryKind FillMode FillRatio Flag GammaCorrection GeoLineString GraphEdge GraphNode GraphType
    HalfSize2D HalfSize3D ImageBuffer ImageFormat ImagePlaneDistance Interactive InterpolationMode
    IsKeyframe KeyValuePairs KeypointId LatLon Length LineStrip2D LineStrip3D LinearSpeed
    MagnificationFilter MarkerShape MarkerSize MediaType MeshFaceRendering Name Opacity OpticalDensity
    PinholeProjection Plane3D PointShading Position2D Position3D Radius Range1D Resolution
    RotationAxisAngle RotationQuat Scalar Scale3D SchemaId ShowLabels SphericalHarmonics3Rgb
    SphericalHarmonicsDegree StrokeWidth TensorData TensorDimensionIndexSelection TensorHeightDimension
    TensorWidthDimension Texcoord2D Text TextLogLevel Thumbnail Timestamp TransformFrameId
    TransformMat3x3 TransformRelation Translation3D TriangleIndices Unit Url ValueRange Variance
    Vector2D Vector3D VideoCodec VideoSample VideoTimestamp ViewCoordinates Visible VoxelIndex VoxelSize
    VoxelValue
""".split()

_BLUEPRINT_COMPONENTS = """
    AbsoluteTimeRange ActiveTab AngularSpeed ApplyLatestAt AutoLayout AutoScroll AutoViews
    BackgroundKind ColumnDisplayMode ColumnName ColumnOrder ColumnShare ColumnType
    ComponentColumnSelector ContainerKind Corner2D Editable Enabled Eye3DKind FilterByRange
    FilterIsNotNull ForceDistance ForceIterations ForceStrength Fps GridColumns GridSpacing
    IncludedContent LinkAxis LockRangeDuringZoom LoopMode MapProvider NearClipPlane PanelState PlayState
    PlaybackSpeed PointsDisplay QueryExpression RootContainer RowShare SelectedColumns SortBy
    SqlFilterExpression TableLayoutKind TensorDimensionIndexSlider TextLogColumn TimeInt TimeRange
    TimelineColumn TimelineFraction TimelineName TooltipMode ViewClass ViewFit ViewMaximized ViewOrigin
    ViewerRecommendationHash VisibleTimeRange VisualBounds2D VisualizerComponentMapping
    VisualizerInstructionId VisualizerType Volume ZoomLevel
""".split()

ARCHETYPES = frozenset(
    [f"rerun.archetypes.{name}" for name in _ARCHETYPES]
    + [f"rerun.blueprint.archetypes.{name}" for name in _BLUEPRINT_ARCHETYPES]
)
COMPONENT_TYPES = frozenset(
    [f"rerun.components.{name}" for name in _COMPONENTS]
    + [f"rerun.blueprint.components.{name}" for name in _BLUEPRINT_COMPONENTS]
)
