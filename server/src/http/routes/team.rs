//! `/api/team…`: the partner's agents, for admin agents: list, add, change role, disable.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shared::api::{
    ChangeAgentRequest, ErrorBody, NewAgentRequest, NewAgentResponse, Team, TeamMember,
};
use shared::ids::AgentId;
use shared::team::{check_new_password, normalise_email, normalise_name, parse_role};
use uuid::Uuid;

use crate::clock::now_rfc3339;
use crate::credentials::generate_password;
use crate::error::{AppError, AppResult};
use crate::http::auth::MayManageTeam;
use crate::http::extract::{JsonBody, path_id};
use crate::http::openapi::{BodyErrors, SignedInErrors};
use crate::service::team::outcome;
use crate::state::AppState;
use crate::store::NewAgent;
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
    let email = normalise_email(&request.email)?;
    let display_name = normalise_name("display_name", &request.display_name)?;
    let role = parse_role(&request.role)?;
    let (password, one_time) = match request.password {
        Some(p) => {
            check_new_password(&p)?;
            (p, false)
        }
        None => (generate_password(), true),
    };
    let password_hash = state
        .password_checker
        .hash(password.clone())
        .await
        .map_err(|_| AppError::server_busy(state.password_checker.retry_after_seconds()))?;
    let new = NewAgent {
        id: AgentId(Uuid::new_v4()),
        partner_id: admin.partner_id,
        email: email.clone(),
        display_name,
        role,
        password_hash,
        created_at: now_rfc3339(),
        // The admin knows this password: the agent chooses their own at first sign-in.
        must_change_password: true,
    };
    let member = outcome(state.store.add_agent(new, &admin.email).await?, &email)?;
    tracing::info!(admin = %admin.email, agent = %member.email, role = %member.role, "agent added");
    Ok((
        StatusCode::CREATED,
        Json(NewAgentResponse {
            agent: member,
            one_time_password: one_time.then_some(password),
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
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ChangeAgentRequest>,
) -> AppResult<Json<TeamMember>> {
    let id: AgentId = path_id(&id, "agent")?;
    let role = request.role.as_deref().map(parse_role).transpose()?;
    if role.is_none() && request.active.is_none() {
        return Err(AppError::new(
            shared::ErrorCode::InvalidChange,
            "Nothing to change: send a new \"role\" or \"active\".",
        ));
    }
    let changed = state
        .store
        .change_agent(
            admin.partner_id,
            id,
            role,
            request.active,
            &admin.email,
            &now_rfc3339(),
        )
        .await?;
    let member = outcome(changed, "")?;
    tracing::info!(admin = %admin.email, agent = %member.email, role = %member.role, active = member.active, "agent changed");
    Ok(Json(member))
}
