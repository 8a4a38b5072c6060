//! `/api/team…`: the partner's agents, for admin agents: list, add, change role, disable.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::{
    ChangeAgentRequest, ErrorBody, NewAgentRequest, NewAgentResponse, Team, TeamMember,
};
use shared::ids::AgentId;
use shared::team::parse_role;

use crate::error::{AppError, AppResult};
use crate::http::auth::MayManageTeam;
use crate::http::extract::{JsonBody, PathId};
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::service;
use crate::service::team::AgentToAdd;
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `/api/team…`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(change))
}

#[utoipa::path(
    get, path = "/team", tag = "team",
    operation_id = "list_agents",
    security(("session" = [])),
    responses(
        SignedInErrors,
        (status = 200, description = "The partner's agents and its latest team changes", body = Team),
        (status = 403, description = "Only admin agents manage the team", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    MayManageTeam(agent): MayManageTeam,
) -> AppResult<Json<Team>> {
    Ok(Json(state.store.team(agent.partner_id).await?))
}

#[utoipa::path(
    post, path = "/team", tag = "team",
    operation_id = "add_agent",
    security(("session" = [])),
    request_body = NewAgentRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 201, description = "Added; `one_time_password` is shown this once when the server chose it", body = NewAgentResponse),
        (status = 400, description = "The request could not be read", body = ErrorBody),
        (status = 403, description = "Only admin agents manage the team", body = ErrorBody),
        (status = 409, description = "An agent of this partner already signs in with this e-mail", body = ErrorBody),
        (status = 422, description = "E-mail, name, role or password refused; `field` names which. An e-mail outside the partner's own domains is `email_domain_not_owned`, whoever has it", body = ErrorBody),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    MayManageTeam(admin): MayManageTeam,
    JsonBody(request): JsonBody<NewAgentRequest>,
) -> AppResult<(StatusCode, Json<NewAgentResponse>)> {
    let agent = service::team::check_new_agent(AgentToAdd {
        email: &request.email,
        display_name: Some(&request.display_name),
        role: &request.role,
        password: request.password,
    })?;
    let password_hash = state
        .password_checker
        .hash(agent.password.clone())
        .await
        .map_err(|_| AppError::server_busy(state.password_checker.retry_after_seconds()))?;
    // The admin knows this password: the agent chooses their own at first sign-in.
    let member = service::team::add_agent(
        state.store.as_ref(),
        &state.clock,
        admin.partner_id,
        &agent,
        password_hash,
        true,
        &admin.email,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewAgentResponse {
            agent: member,
            one_time_password: agent.generated.then_some(agent.password),
        }),
    ))
}

#[utoipa::path(
    patch, path = "/team/{id}", tag = "team",
    operation_id = "change_agent",
    security(("session" = [])),
    params(("id" = String, Path, description = "The agent's id")),
    request_body = ChangeAgentRequest,
    responses(
        BodyErrors,
        SignedInErrors,
        (status = 200, description = "Changed (a disabled agent's sessions have ended)", body = TeamMember),
        (status = 400, description = "The request could not be read", body = ErrorBody),
        (status = 403, description = "Only admin agents manage the team", body = ErrorBody),
        (status = 404, description = "No such agent in this partner", body = ErrorBody),
        (status = 422, description = "Unknown role, nothing to change, or the last active admin would go (last_admin)", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<AppState>,
    MayManageTeam(admin): MayManageTeam,
    PathId(id): PathId<AgentId>,
    JsonBody(request): JsonBody<ChangeAgentRequest>,
) -> AppResult<Json<TeamMember>> {
    let role = request.role.as_deref().map(parse_role).transpose()?;
    let member = service::team::change_agent(
        state.store.as_ref(),
        &state.clock,
        admin.partner_id,
        id,
        role,
        request.active,
        &admin.email,
    )
    .await?;
    Ok(Json(member))
}
