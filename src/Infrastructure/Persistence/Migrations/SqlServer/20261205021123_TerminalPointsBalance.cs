using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StudyGuru.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class TerminalPointsBalance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "TerminalPointsBalance",
                table: "Generations",
                type: "int",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TerminalPointsBalance",
                table: "Generations");
        }
    }
}
