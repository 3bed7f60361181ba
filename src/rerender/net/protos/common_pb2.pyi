from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StoreKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STORE_KIND_UNSPECIFIED: _ClassVar[StoreKind]
    STORE_KIND_RECORDING: _ClassVar[StoreKind]
    STORE_KIND_BLUEPRINT: _ClassVar[StoreKind]

class Compression(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPRESSION_UNSPECIFIED: _ClassVar[Compression]
    COMPRESSION_NONE: _ClassVar[Compression]
    COMPRESSION_LZ4: _ClassVar[Compression]
STORE_KIND_UNSPECIFIED: StoreKind
STORE_KIND_RECORDING: StoreKind
STORE_KIND_BLUEPRINT: StoreKind
COMPRESSION_UNSPECIFIED: Compression
COMPRESSION_NONE: Compression
COMPRESSION_LZ4: Compression

class Tuid(_message.Message):
    __slots__ = ("time_ns", "inc")
    TIME_NS_FIELD_NUMBER: _ClassVar[int]
    INC_FIELD_NUMBER: _ClassVar[int]
    time_ns: int
    inc: int
    def __init__(self, time_ns: _Optional[int] = ..., inc: _Optional[int] = ...) -> None: ...

class ApplicationId(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class StoreId(_message.Message):
    __slots__ = ("kind", "recording_id", "application_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    kind: StoreKind
    recording_id: str
    application_id: ApplicationId
    def __init__(self, kind: _Optional[_Union[StoreKind, str]] = ..., recording_id: _Optional[str] = ..., application_id: _Optional[_Union[ApplicationId, _Mapping]] = ...) -> None: ...
