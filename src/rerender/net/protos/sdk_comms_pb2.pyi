from rerender.net.protos import log_msg_pb2 as _log_msg_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class WriteMessagesRequest(_message.Message):
    __slots__ = ("log_msg",)
    LOG_MSG_FIELD_NUMBER: _ClassVar[int]
    log_msg: _log_msg_pb2.LogMsg
    def __init__(self, log_msg: _Optional[_Union[_log_msg_pb2.LogMsg, _Mapping]] = ...) -> None: ...

class WriteMessagesResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadMessagesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadMessagesResponse(_message.Message):
    __slots__ = ("log_msg",)
    LOG_MSG_FIELD_NUMBER: _ClassVar[int]
    log_msg: _log_msg_pb2.LogMsg
    def __init__(self, log_msg: _Optional[_Union[_log_msg_pb2.LogMsg, _Mapping]] = ...) -> None: ...
