//! A conversation held open: ask, stream, list its messages, rate its
//! answers and archive it, without repeating its id.

use moveworks_api::types::{Conversation, Event, Message, Response, SubmitFeedbackResponse};

use super::conversations::{ConversationUpdate, NewConversation};
use super::events::{EventQuery, EventStream};
use super::feedback::Feedback;
use super::response_stream::ResponseStream;
use super::user_input::Input;
use crate::client::Client;
use crate::client::input::check_id;
use crate::error::Error;
use crate::flows::Paginator;

/// One conversation and the client to talk in it: start one with
/// [`Client::start_conversation`], or continue one with
/// [`Client::continue_conversation`].
///
/// Its methods are the [`Client`]'s with the conversation left out, of the
/// arguments and of the name: [`Client::list_conversation_messages`] is
/// [`ConversationHandle::list_messages`], [`Client::get_conversation`] is
/// [`ConversationHandle::get`]. Cheap to clone.
///
/// ```no_run
/// # async fn run(client: moveworks_ext::Client) -> Result<(), moveworks_ext::Error> {
/// use moveworks_ext::{Feedback, NewConversation, Rating, ResponseExt};
///
/// let conversation = client.start_conversation(NewConversation::new().title("VPN")).await?;
/// let answer = conversation.ask("How do I connect to the VPN?").await?;
/// println!("{}", answer.text());
/// if let Some(message) = answer.messages().last() {
///     conversation.submit_feedback(Feedback::for_message(message, Rating::Helpful)?).await?;
/// }
/// conversation.archive().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct ConversationHandle {
    client: Client,
    id: String,
    created: Option<Box<Conversation>>,
}

impl Client {
    /// Creates a conversation (`create-conversation`) and holds it open.
    ///
    /// Not retried once the request may have reached the API, so it never
    /// creates two.
    pub async fn start_conversation(
        &self,
        conversation: NewConversation,
    ) -> Result<ConversationHandle, Error> {
        let created = self.create_conversation(conversation).await?;
        Ok(ConversationHandle {
            client: self.clone(),
            id: created.conversation_id.clone(),
            created: Some(Box::new(created)),
        })
    }

    /// Holds an existing conversation open, by id. Nothing is sent: an id
    /// that cannot be one (empty, `.`, `..`, holding a `/`) is refused at
    /// once, one that does not exist fails the first call with a 404.
    pub fn continue_conversation(
        &self,
        conversation_id: impl Into<String>,
    ) -> Result<ConversationHandle, Error> {
        let id = conversation_id.into();
        check_id("conversation_id", &id)?;
        Ok(ConversationHandle {
            client: self.clone(),
            id,
            created: None,
        })
    }
}

impl ConversationHandle {
    /// The conversation's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The conversation as the API created it, when this handle started
    /// it; `None` for a continued one (see [`ConversationHandle::get`]).
    pub fn created(&self) -> Option<&Conversation> {
        self.created.as_deref()
    }

    /// The client the handle calls through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The conversation as it is now ([`Client::get_conversation`]).
    pub async fn get(&self) -> Result<Conversation, Error> {
        self.client.get_conversation(&self.id).await
    }

    /// Renames, archives or restores the conversation
    /// ([`Client::update_conversation`]).
    pub async fn update(&self, update: ConversationUpdate) -> Result<Conversation, Error> {
        self.client.update_conversation(&self.id, update).await
    }

    /// Archives the conversation ([`Client::update_conversation`] with
    /// `archived` set).
    pub async fn archive(&self) -> Result<Conversation, Error> {
        self.update(ConversationUpdate::new().archived(true)).await
    }

    /// Asks the assistant (text, or a press of a button: see [`Input`])
    /// and waits for the answer ([`Client::ask`]).
    pub async fn ask(&self, input: impl Into<Input>) -> Result<Response, Error> {
        self.client.ask(&self.id, input).await
    }

    /// Sends the user's input and returns the response at once
    /// ([`Client::create_response`]).
    pub async fn create_response(&self, input: impl Into<Input>) -> Result<Response, Error> {
        self.client.create_response(&self.id, input).await
    }

    /// Sends the user's input and streams the response as it is made
    /// ([`Client::create_response_stream`]).
    pub async fn create_response_stream(
        &self,
        input: impl Into<Input>,
    ) -> Result<ResponseStream, Error> {
        self.client.create_response_stream(&self.id, input).await
    }

    /// Recovers from a stream of this conversation that ended early, by
    /// waiting for its response ([`Client::wait_for_streamed_response`]).
    pub async fn wait_for_streamed_response(&self, error: Error) -> Result<Response, Error> {
        self.client.wait_for_streamed_response(error).await
    }

    /// A response of the conversation as it is now ([`Client::get_response`]).
    pub async fn get_response(&self, response_id: &str) -> Result<Response, Error> {
        self.client.get_response(&self.id, response_id).await
    }

    /// Waits for a response of the conversation to finish
    /// ([`Client::wait_for_response`]).
    pub async fn wait_for_response(&self, response_id: &str) -> Result<Response, Error> {
        self.client.wait_for_response(&self.id, response_id).await
    }

    /// The conversation's messages, most recent first
    /// ([`Client::list_conversation_messages`]).
    pub fn list_messages(&self) -> Paginator<Message> {
        self.client.list_conversation_messages(&self.id)
    }

    /// The messages of one response ([`Client::list_response_messages`]).
    pub fn list_response_messages(&self, response_id: &str) -> Paginator<Message> {
        self.client.list_response_messages(&self.id, response_id)
    }

    /// The conversation's events ([`Client::list_events`]).
    pub fn list_events(&self) -> Paginator<Event> {
        self.client.list_events(EventQuery::conversation(&self.id))
    }

    /// The conversation's new events as they come, from the newest at the
    /// first poll ([`Client::follow_events`]). To resume from a
    /// checkpoint, use `client.follow_events(EventQuery::conversation(id).starting_after(..))`.
    pub fn follow_events(&self) -> EventStream {
        self.client
            .follow_events(EventQuery::conversation(&self.id))
    }

    /// Submits feedback on one of the conversation's messages
    /// ([`Client::submit_feedback`]). Feedback on a message of another
    /// conversation is refused before anything is sent.
    pub async fn submit_feedback(
        &self,
        feedback: Feedback,
    ) -> Result<SubmitFeedbackResponse, Error> {
        let message = feedback.message();
        if message.conversation_id() != self.id {
            let (id, owner) = (message.message_id(), message.conversation_id());
            let reason = format!(
                "message {id} belongs to conversation {owner}, not {}",
                self.id
            );
            return Err(Error::invalid_input("feedback", reason));
        }
        self.client.submit_feedback(feedback).await
    }
}
