//! One event of a response stream, and how an SSE block decodes into one.

use moveworks_api::types::{
    OutputItem, Response, ResponseCompletedData, ResponseCreatedData, ResponseFailedData,
    ResponseInProgressData, ResponseOutputDeltaData, StreamingErrorData,
};
use serde::de::DeserializeOwned;
use sse_stream::Sse;

use crate::error::{ErrorCode, StreamEnd};
use crate::flows::sse::Ended;

/// One event of a response stream, decoded by its SSE event name.
///
/// More kinds may come: match with a `_` arm.
#[derive(Debug, Clone)]
#[non_exhaustive]
// An output delta holds a whole message (its actions and sender too): each
// event is moved once, to the caller, and a box would cost an allocation
// per event and a `Box` in every pattern.
#[allow(clippy::large_enum_variant)]
pub enum StreamEvent {
    /// `RESPONSE_CREATED`: the response exists (status `CREATED`).
    Created(ResponseCreatedData),
    /// `RESPONSE_IN_PROGRESS`: the response as it is now.
    InProgress(ResponseInProgressData),
    /// `RESPONSE_OUTPUT_DELTA`: a new output item (a message or a
    /// reasoning message).
    Output(ResponseOutputDeltaData),
    /// `RESPONSE_COMPLETED`: the final response; the last event.
    Completed(ResponseCompletedData),
    /// `RESPONSE_FAILED`: the assistant could not answer; the last event.
    Failed(ResponseFailedData),
    /// An event name this client does not know, kept verbatim.
    #[non_exhaustive]
    Unknown {
        /// The SSE `event:` name (`message` when the event had none).
        event: String,
        /// The event's data, lines joined with `\n`.
        data: String,
    },
}

impl StreamEvent {
    /// The event's sequence number (unknown events: if their data has one).
    pub fn sequence_number(&self) -> Option<i64> {
        match self {
            StreamEvent::Created(data) => Some(data.sequence_number),
            StreamEvent::InProgress(data) => Some(data.sequence_number),
            StreamEvent::Output(data) => Some(data.sequence_number),
            StreamEvent::Completed(data) => Some(data.sequence_number),
            StreamEvent::Failed(data) => Some(data.sequence_number),
            StreamEvent::Unknown { data, .. } => unknown_sequence_number(data),
        }
    }

    /// The response snapshot the event carries (all but output and
    /// unknown events).
    pub fn response(&self) -> Option<&Response> {
        match self {
            StreamEvent::Created(data) => Some(&data.response),
            StreamEvent::InProgress(data) => Some(&data.response),
            StreamEvent::Completed(data) => Some(&data.response),
            StreamEvent::Failed(data) => Some(&data.response),
            StreamEvent::Output(_) | StreamEvent::Unknown { .. } => None,
        }
    }

    /// The new output item of an output event.
    pub fn output(&self) -> Option<&OutputItem> {
        match self {
            StreamEvent::Output(data) => Some(&data.output),
            _ => None,
        }
    }

    /// Whether the event carries a snapshot of a response still in the
    /// making (`CREATED` or `IN_PROGRESS`).
    pub(crate) fn is_snapshot(&self) -> bool {
        matches!(self, StreamEvent::Created(_) | StreamEvent::InProgress(_))
    }

    /// Whether this is the last event of the stream (`COMPLETED` or
    /// `FAILED`).
    pub fn is_final(&self) -> bool {
        matches!(self, StreamEvent::Completed(_) | StreamEvent::Failed(_))
    }

    /// Decodes one SSE block by its event name, and gives back the block's
    /// data: `Ok(None)` for a block that holds no event (metadata only); an
    /// `ERROR` event is the error it reports.
    pub(crate) fn decode(block: Sse) -> Result<Option<(StreamEvent, String)>, Ended> {
        let Sse { event, data, .. } = block;
        if event.is_none() && data.is_none() {
            return Ok(None);
        }
        let name = event.unwrap_or_else(|| "message".to_owned());
        let data = data.unwrap_or_default();
        let event = match name.as_str() {
            "RESPONSE_CREATED" => StreamEvent::Created(parse(&name, &data)?),
            "RESPONSE_IN_PROGRESS" => StreamEvent::InProgress(parse(&name, &data)?),
            "RESPONSE_OUTPUT_DELTA" => StreamEvent::Output(parse(&name, &data)?),
            "RESPONSE_COMPLETED" => StreamEvent::Completed(parse(&name, &data)?),
            "RESPONSE_FAILED" => StreamEvent::Failed(parse(&name, &data)?),
            "ERROR" => {
                let error: StreamingErrorData = parse(&name, &data)?;
                let end = StreamEnd::ErrorEvent {
                    code: ErrorCode::parse(&error.error.code),
                    message: error.error.message,
                };
                return Err((end, None));
            }
            // The data moves into the event: nothing is kept of it.
            _ => {
                return Ok(Some((
                    StreamEvent::Unknown { event: name, data },
                    String::new(),
                )));
            }
        };
        Ok(Some((event, data)))
    }
}

fn parse<T: DeserializeOwned>(name: &str, data: &str) -> Result<T, Ended> {
    serde_json::from_str(data).map_err(|source| {
        let end = StreamEnd::Malformed(Some(name.to_owned()));
        (end, Some(Box::new(source) as _))
    })
}

fn unknown_sequence_number(data: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Sequenced {
        sequence_number: Option<i64>,
    }
    serde_json::from_str::<Sequenced>(data)
        .ok()
        .and_then(|s| s.sequence_number)
}
