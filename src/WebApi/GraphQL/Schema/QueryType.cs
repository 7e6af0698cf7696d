using GraphQL;
using GraphQL.Types;
using StudyGuru.Application.Accounts.GetAccount;
using StudyGuru.Application.Interactions.GetInteraction;
using StudyGuru.Application.Interactions.ListInteractions;
using StudyGuru.Application.Interactions.ListMessages;

namespace StudyGuru.WebApi.GraphQL.Schema;

/// <summary>Each field sends the same mediator request as its REST endpoint.</summary>
public sealed class QueryType : ObjectGraphType
{
    public QueryType()
    {
        Name = "Query";

        Field<NonNullGraphType<AccountType>>("account")
            .ResolveAsync(async c => await c.Mediator().Send(new GetAccountQuery(c.UserId()), c.CancellationToken));

        Field<NonNullGraphType<InteractionPageType>>("interactions")
            .Argument<IntGraphType>("page", a => a.DefaultValue = 1)
            .Argument<IntGraphType>("size", a => a.DefaultValue = 10)
            .ResolveAsync(async c => await c.Mediator().Send(
                new ListInteractionsQuery(c.UserId(), c.GetArgument("page", 1), c.GetArgument("size", 10)), c.CancellationToken));

        Field<InteractionType>("interaction")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async c => await c.Mediator().Send(new GetInteractionQuery(c.UserId(), c.IdArgument("id")), c.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MessageType>>>>("messages")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<IntGraphType>("limit", a => a.DefaultValue = 12)
            .Argument<IntGraphType>("offset", a => a.DefaultValue = 0)
            .ResolveAsync(async c =>
            {
                var page = await c.Mediator().Send(
                    new ListMessagesQuery(c.UserId(), c.IdArgument("id"), c.GetArgument("limit", 12), c.GetArgument("offset", 0)),
                    c.CancellationToken);
                return page.Items;
            });
    }
}
