using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncPitfalls.Analyzers;

/// <summary>
/// Methods only a framework calls: ASP.NET Core controller actions, minimal-API handlers, SignalR hub methods and gRPC
/// service methods. A dropped task in one of them is a forgotten await (ASYNC001), since the method could be async.
/// One instance per compilation (<see cref="CompilationFacts.EntryPoints"/>); a framework that is not referenced
/// contributes nothing.
/// </summary>
internal sealed class FrameworkEntryPoints
{
    private readonly INamedTypeSymbol? _controllerBase;
    private readonly INamedTypeSymbol? _apiController;
    private readonly INamedTypeSymbol? _nonAction;
    private readonly INamedTypeSymbol? _hub;
    private readonly INamedTypeSymbol? _hubOfT;
    private readonly INamedTypeSymbol? _endpointRouteBuilderExtensions;
    private readonly INamedTypeSymbol? _bindServiceMethod;

    public FrameworkEntryPoints(KnownTypes types)
    {
        _controllerBase = types.Get("Microsoft.AspNetCore.Mvc.ControllerBase");
        _apiController = types.Get("Microsoft.AspNetCore.Mvc.ApiControllerAttribute");
        _nonAction = types.Get("Microsoft.AspNetCore.Mvc.NonActionAttribute");
        _hub = types.Get("Microsoft.AspNetCore.SignalR.Hub");
        _hubOfT = types.Get("Microsoft.AspNetCore.SignalR.Hub`1");
        _endpointRouteBuilderExtensions = types.Get("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
        _bindServiceMethod = types.Get("Grpc.Core.BindServiceMethodAttribute");
    }

    /// <summary>
    /// A public instance method that the framework calls: a controller action (a class derived from
    /// <c>ControllerBase</c> or marked <c>[ApiController]</c>, not <c>[NonAction]</c>), a SignalR hub method, or a gRPC
    /// service method (an override of a method of a generated base marked <c>[BindServiceMethod]</c>). A method that
    /// implements an interface is called by whoever holds the interface, so it is not one.
    /// </summary>
    public bool IsEntryPoint(IMethodSymbol method)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public || method.ContainingType is not { } type
            || method.ExplicitInterfaceImplementations.Length > 0 || method.ImplementsInterfaceMember())
        {
            return false;
        }

        if (method.IsOverride && _bindServiceMethod is not null && method.OverriddenMethod?.ContainingType is { } generatedBase
            && AsyncSymbols.HasAttribute(generatedBase, _bindServiceMethod))
        {
            return true;
        }

        if (AsyncSymbols.DerivesFrom(type, _controllerBase) || AsyncSymbols.HasAttribute(type, _apiController))
        {
            return !AsyncSymbols.HasAttribute(method, _nonAction);
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, _hub) || SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, _hubOfT))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A lambda given to <c>app.MapGet(...)</c>, <c>MapPost</c> and the other minimal-API map methods.</summary>
    public bool IsMinimalApiHandler(IAnonymousFunctionOperation lambda)
        => _endpointRouteBuilderExtensions is not null
            && lambda.WalkUpDelegateCreation().Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: var name } map } }
            && name.StartsWith("Map", System.StringComparison.Ordinal)
            && SymbolEqualityComparer.Default.Equals(map.ContainingType, _endpointRouteBuilderExtensions);
}
